"""The public names of :mod:`configurator.documents`, for type checkers and the lazy loader."""

from .booklet import (
    Printed as Printed,
    html_to_pdf as html_to_pdf,
    printed_case as printed_case,
    render_booklet as render_booklet,
    render_card as render_card,
    split_pdf as split_pdf,
)
from .cards import Card as Card, card_for as card_for, cards_from_case as cards_from_case
from .drawing import (
    plan_to_pdf as plan_to_pdf,
    plan_to_png as plan_to_png,
    plan_to_svg as plan_to_svg,
)
from .furniture import RoomSketch as RoomSketch, sketch_room as sketch_room
from .i18n import (
    audit_translations as audit_translations,
    number as number,
    text as text,
    translated as translated,
)
from .report import render_report as render_report
from .tables import program_to_xlsx as program_to_xlsx, write_program as write_program
