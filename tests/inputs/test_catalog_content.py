"""Check that the shipped catalog is whole and makes sense as a shared customer-service point.

The schema and the audit check types and references; these tests check the domain: the
concept's five zones and four visitor groups, paths that visitors can actually walk, shares
that add up, space cards with every field filled, realistic room sizes, and the Pori partners.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

import pytest

from configurator.inputs.catalog import load_catalog
from configurator.model.schema import CHANNELS, Catalog, Names, SpaceType

ZONE_IDS = ("arrival", "self_service", "waiting", "private_service", "staff")
PRIVACY_RANK = {"open": 0, "semi_open": 1, "private": 2}
PORI_AGENCIES = {"avi", "dvv", "ely", "mml", "te", "vero", "pori_city"}
CONCEPT_ROLES = {"service_guide", "digi_advisor", "guard"}
# Lists a space card may leave empty: a space need not forbid any neighbour.
OPTIONAL_CARD_LISTS = {"forbidden_neighbours"}
# Whole English words that must not appear in a Finnish name (a sign of an untranslated
# placeholder); "WC", "IT", "TE" and "ELY" are used as such in Finnish.
ENGLISH_WORDS = re.compile(
    r"\b(the|and|of|for|room|service|services|desk|area|point|staff|visitor|todo|tbd|"
    r"fixme|xxx|lorem|placeholder)\b",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _all_names(catalog: Catalog) -> Iterator[tuple[str, Names]]:
    """Yield every bilingual name of the catalog with where it is."""
    for zone in catalog.zones:
        yield f"zones.{zone.id}", zone.names
    for st in catalog.space_types:
        yield f"space_types.{st.id}", st.names
    for role in catalog.roles:
        yield f"roles.{role.id}", role.names
    for persona in catalog.personas:
        yield f"personas.{persona.id}", persona.names
        for path in persona.paths:
            yield f"personas.{persona.id}.paths.{path.id}", path.names
    for agency in catalog.agencies:
        yield f"agencies.{agency.id}", agency.names


# ------------------------------------------------------------------------------ zones


def test_the_five_concept_zones_in_order_from_the_entrance(catalog: Catalog) -> None:
    ordered = [z.id for z in sorted(catalog.zones, key=lambda z: z.order)]
    assert tuple(ordered) == ZONE_IDS, (
        "the concept has five zones met in this order from the entrance: "
        f"{', '.join(ZONE_IDS)}; got {ordered}"
    )


def test_privacy_grows_with_depth(catalog: Catalog) -> None:
    zones = sorted(catalog.zones, key=lambda z: z.order)
    ranks = [PRIVACY_RANK[z.privacy] for z in zones]
    assert ranks == sorted(ranks), (
        "a visitor passes open → semi-open → private, so privacy must not fall with depth: "
        f"{[(z.id, z.privacy) for z in zones]}"
    )


def test_only_the_staff_zone_is_closed_to_visitors(catalog: Catalog) -> None:
    closed = {z.id for z in catalog.zones if not z.visitor_access}
    assert closed == {"staff"}, f"only the staff zone is staff-only; closed zones: {closed}"


def test_zone_colours_are_distinct(catalog: Catalog) -> None:
    colours = [z.colour.upper() for z in catalog.zones]
    assert len(set(colours)) == len(colours), f"each zone needs its own plan colour: {colours}"


def test_every_zone_has_space_types(catalog: Catalog) -> None:
    used = {st.zone for st in catalog.space_types}
    empty = [z.id for z in catalog.zones if z.id not in used]
    assert not empty, f"every zone is made of space types; empty zones: {empty}"


# ------------------------------------------------------------------------------ space types


def test_at_least_twenty_space_types_cover_all_zones(catalog: Catalog) -> None:
    assert len(catalog.space_types) >= 20, (
        f"a usable space programme needs at least 20 space types, got {len(catalog.space_types)}"
    )
    assert {st.zone for st in catalog.space_types} == set(ZONE_IDS), (
        "space types must cover all five zones"
    )


@pytest.mark.parametrize("field", sorted(SpaceType.model_fields))
def test_every_space_card_field_is_filled(catalog: Catalog, field: str) -> None:
    empty: list[str] = []
    for st in catalog.space_types:
        value = getattr(st, field)
        if isinstance(value, str) and not value.strip():
            empty.append(st.id)
        elif isinstance(value, list) and field not in OPTIONAL_CARD_LISTS:
            if not value or any(isinstance(v, str) and not v.strip() for v in value):
                empty.append(st.id)
        elif isinstance(value, Names) and not (value.fi.strip() and value.en.strip()):
            empty.append(st.id)
    assert not empty, f"every space card shows {field!r}; it is empty for: {empty}"


def test_space_types_are_marked_as_estimates(catalog: Catalog) -> None:
    unmarked = [st.id for st in catalog.space_types if not st.estimate]
    assert not unmarked, f"the seeds give no areas, so every size is our estimate: {unmarked}"


def test_separate_rooms_fit_their_min_width(catalog: Catalog) -> None:
    too_narrow = [
        st.id
        for st in catalog.space_types
        if st.grouping == "separate" and st.min_width_m**2 > st.area_range_m2[1]
    ]
    assert not too_narrow, (
        f"a separate room's min width squared must fit its largest area: {too_narrow}"
    )


def test_meeting_room_for_two_to_three_is_about_nine_square_metres(catalog: Catalog) -> None:
    room = catalog.space_type("meeting_room_2")
    assert 8.0 <= room.unit_area_m2 <= 10.0, (
        f"a meeting room for 2-3 persons needs 8-10 m², got {room.unit_area_m2}"
    )
    assert room.capacity_persons >= 3, "a meeting room for 2-3 must hold three persons"


def test_customer_wc_is_accessible(catalog: Catalog) -> None:
    wc = catalog.space_type("customer_wc")
    assert wc.unit_area_m2 >= 4.5, (
        f"an accessible WC needs at least 4.5 m² (turning circle + fixtures), got {wc.unit_area_m2}"
    )
    assert wc.min_width_m >= 2.2, (
        f"an accessible WC needs a clear width of at least 2.2 m (1.5 m turning circle "
        f"+ WC and transfer space), got {wc.min_width_m}"
    )
    assert "accessible_wc" in wc.accessibility, "the customer WC must be an accessible WC"


def test_waiting_seat_area_is_realistic(catalog: Catalog) -> None:
    seat = catalog.space_type("waiting_lounge")
    assert seat.unit == "seat", "the waiting lounge is sized per seat"
    assert 1.5 <= seat.unit_area_m2 <= 2.5, (
        f"a waiting seat with its share of aisles needs 1.5-2.5 m², got {seat.unit_area_m2}"
    )


def test_private_rooms_keep_speech_private(catalog: Catalog) -> None:
    private = {z.id for z in catalog.zones if z.privacy == "private" and z.visitor_access}
    leaky = [
        st.id
        for st in catalog.space_types
        if st.zone in private
        and st.unit == "room"
        and st.id != "group_room"
        and st.acoustic_privacy not in {"speech_private", "confidential"}
    ]
    assert not leaky, f"rooms for private service must give speech privacy: {leaky}"


def test_childrens_corner_is_kept_away_from_meeting_rooms(catalog: Catalog) -> None:
    corner = catalog.space_type("children_corner")
    for room in ("meeting_room_2", "meeting_room_6", "secure_meeting_room"):
        assert room in corner.forbidden_neighbours, (
            f"play noise spoils speech privacy: children_corner must not neighbour {room}"
        )
        assert "children_corner" in catalog.space_type(room).forbidden_neighbours, (
            f"{room} must forbid the children's corner as neighbour as well"
        )


def test_secure_room_and_guard_post_are_neighbours(catalog: Catalog) -> None:
    assert "guard_post" in catalog.space_type("secure_meeting_room").preferred_neighbours, (
        "the secure meeting room must lie near the guard"
    )
    guard = catalog.space_type("guard_post")
    assert {"entrance_lobby", "waiting_lounge"} <= set(guard.preferred_neighbours), (
        "the guard must see the lobby and the waiting area"
    )


def test_staff_zone_holds_no_space_that_visitors_use(catalog: Catalog) -> None:
    closed = {z.id for z in catalog.zones if not z.visitor_access}
    visited = [st.id for st in catalog.space_types if st.zone in closed and "visitor" in st.users]
    assert not visited, f"staff-only zones may hold no space that visitors use: {visited}"


# ------------------------------------------------------------------------------ roles


def test_concept_roles_exist_with_duties(catalog: Catalog) -> None:
    roles = {r.id: r for r in catalog.roles}
    missing = CONCEPT_ROLES - set(roles)
    assert not missing, f"the concept's roles guide, digi-advisor and guard are needed: {missing}"
    for role_id in CONCEPT_ROLES:
        assert roles[role_id].duties, f"role {role_id} must state its duties"


def test_roles_size_from_their_own_desk(catalog: Catalog) -> None:
    for st in catalog.space_types:
        if st.driver.kind == "per_role":
            role = catalog.role(st.driver.role)
            assert st.id in role.works_in, (
                f"{st.id} is counted per {role.id}, so {role.id} must work in it"
            )
            assert role.id in st.users, f"{role.id} must be listed among the users of {st.id}"


# ------------------------------------------------------------------------------ personas


def test_four_visitor_groups_with_shares_summing_to_one(catalog: Catalog) -> None:
    assert len(catalog.personas) == 4, (
        f"the concept identified four visitor groups, got {len(catalog.personas)}"
    )
    total = math.fsum(p.share for p in catalog.personas)
    assert total == pytest.approx(1.0), f"persona shares must sum to 1, got {total}"


def test_visitor_groups_differ_in_support_and_self_direction(catalog: Catalog) -> None:
    profiles = {(p.support_need, p.self_direction, p.services_per_visit) for p in catalog.personas}
    assert len(profiles) == len(catalog.personas), (
        "visitor groups are told apart by support need, self-direction and services per visit"
    )


def test_path_shares_sum_to_one_within_each_persona(catalog: Catalog) -> None:
    for persona in catalog.personas:
        total = math.fsum(p.share for p in persona.paths)
        assert total == pytest.approx(1.0), (
            f"the path shares of persona {persona.id} must sum to 1, got {total}"
        )


def test_paths_start_on_arrival_and_end_on_leaving(catalog: Catalog) -> None:
    for persona in catalog.personas:
        for path in persona.paths:
            kinds = [m.kind for m in path.moments]
            assert kinds[0] == "arrive", f"path {path.id} must start on arrival, got {kinds}"
            assert kinds[-1] == "leave", f"path {path.id} must end on leaving, got {kinds}"
            assert any(k not in {"arrive", "leave", "wait", "amenity"} for k in kinds), (
                f"path {path.id} must contain at least one service moment"
            )


def test_path_moments_are_in_spaces_visitors_may_enter(catalog: Catalog) -> None:
    spaces = {st.id: st for st in catalog.space_types}
    open_zones = {z.id for z in catalog.zones if z.visitor_access}
    for persona in catalog.personas:
        for path in persona.paths:
            for moment in path.moments:
                st = spaces.get(moment.space_type)
                assert st is not None, f"{path.id}: unknown space type {moment.space_type!r}"
                assert st.zone in open_zones, (
                    f"{path.id}: a visitor cannot be in {st.id}, whose zone {st.zone} is staff-only"
                )
                assert "visitor" in st.users, (
                    f"{path.id}: {st.id} hosts a visitor moment, so 'visitor' must be a user"
                )


# ------------------------------------------------------------------------------ agencies


def test_the_seven_pori_partners_exist(catalog: Catalog) -> None:
    ids = {a.id for a in catalog.agencies}
    assert ids >= PORI_AGENCIES, f"the Pori case has seven partners; missing {PORI_AGENCIES - ids}"
    kinds = {a.id: a.kind for a in catalog.agencies}
    assert kinds["pori_city"] == "municipal", "the City of Pori is the municipal partner"
    state = sorted(i for i in PORI_AGENCIES - {"pori_city"} if kinds[i] != "state")
    assert not state, f"the six other Pori partners are state agencies: {state}"


def test_agency_channel_splits_sum_to_one(catalog: Catalog) -> None:
    for agency in catalog.agencies:
        total = math.fsum(agency.channel_split.get(c) for c in CHANNELS)
        assert total == pytest.approx(1.0, abs=1e-9), (
            f"the channel split of {agency.id} must sum to 1, got {total}"
        )


def test_agencies_without_staff_on_site_serve_remotely(catalog: Catalog) -> None:
    for agency in catalog.agencies:
        if agency.staff_on_site == 0:
            split = agency.channel_split
            assert split.quick_counter == 0, (
                f"{agency.id} has no staff on site, so it cannot serve at counters"
            )
            assert split.appointment == 0, (
                f"{agency.id} has no staff on site, so it cannot hold meetings on site"
            )
            assert split.remote > 0, f"{agency.id} has no staff on site, so it must serve remotely"


def test_agency_figures_are_plausible_estimates(catalog: Catalog) -> None:
    total = sum(a.annual_visits for a in catalog.agencies)
    assert 50_000 <= total <= 90_000, (
        f"a town of ~85 000 should see some 50-90 thousand visits a year, got {total}"
    )
    for agency in catalog.agencies:
        assert agency.estimate, f"{agency.id}: the seeds give no visit figures; mark the estimate"
        assert all(agency.handling_time_min.get(c) > 0 for c in CHANNELS), (
            f"{agency.id}: every channel needs a handling time so a scenario can switch it on"
        )


# ------------------------------------------------------------------------------ language


def test_finnish_and_english_names_differ(catalog: Catalog) -> None:
    names = list(_all_names(catalog))
    same = [where for where, n in names if n.fi.strip().lower() == n.en.strip().lower()]
    assert len(same) <= len(names) // 10, (
        f"names must be translated: Finnish equals English in {same}"
    )


def test_finnish_names_hold_no_english_placeholder(catalog: Catalog) -> None:
    english = [
        f"{where}: {n.fi!r}" for where, n in _all_names(catalog) if ENGLISH_WORDS.search(n.fi)
    ]
    assert not english, f"Finnish names must be Finnish: {english}"


def test_finnish_text_uses_finnish_letters(catalog: Catalog) -> None:
    text = " ".join(n.fi for _, n in _all_names(catalog))
    for letter in "äö":
        assert letter in text, f"real Finnish names use {letter!r}; none of the names has it"
