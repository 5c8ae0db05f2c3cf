// Read an IFC space model with web-ifc, an IFC reader independent of ifcopenshell, and write
// what it finds as JSON: each space's name, long name, type, Qto_SpaceBaseQuantities and its
// triangulated body in world coordinates; each zone's members; the doors' bodies.
//   cd scripts/ifc-second-reader && npm install && node read.mjs MODEL.ifc OUT.json
import * as WebIFC from "web-ifc";
import fs from "fs";

const api = new WebIFC.IfcAPI();
await api.Init();
const model = api.OpenModel(fs.readFileSync(process.argv[2]));
const out = { spaces: {}, zones: {}, doors: [] };
const spaceIds = api.GetLineIDsWithType(model, WebIFC.IFCSPACE);
for (let i = 0; i < spaceIds.size(); i++) {
  const id = spaceIds.get(i);
  const s = api.GetLine(model, id);
  out.spaces[id] = { name: s.Name.value, long: s.LongName?.value, type: s.ObjectType?.value, tris: [] };
}
const rels = api.GetLineIDsWithType(model, WebIFC.IFCRELDEFINESBYPROPERTIES);
for (let i = 0; i < rels.size(); i++) {
  const rel = api.GetLine(model, rels.get(i));
  const definition = api.GetLine(model, rel.RelatingPropertyDefinition.value);
  if (definition.Name?.value !== "Qto_SpaceBaseQuantities") continue;
  for (const ref of definition.Quantities) {
    const q = api.GetLine(model, ref.value);
    const value = (q.AreaValue ?? q.VolumeValue ?? q.LengthValue)?.value;
    for (const o of rel.RelatedObjects) if (out.spaces[o.value]) out.spaces[o.value][q.Name.value] = value;
  }
}
const groups = api.GetLineIDsWithType(model, WebIFC.IFCRELASSIGNSTOGROUP);
for (let i = 0; i < groups.size(); i++) {
  const rel = api.GetLine(model, groups.get(i));
  const zone = api.GetLine(model, rel.RelatingGroup.value);
  out.zones[zone.Name.value] = {
    long: zone.LongName?.value,
    members: rel.RelatedObjects.map((o) => out.spaces[o.value]?.name),
  };
}
// web-ifc leaves spaces out of StreamAllMeshes: ask for them by type
api.StreamAllMeshesWithTypes(model, [WebIFC.IFCSPACE, WebIFC.IFCDOOR], (mesh) => {
  const tris = [];
  for (let g = 0; g < mesh.geometries.size(); g++) {
    const placed = mesh.geometries.get(g);
    const geometry = api.GetGeometry(model, placed.geometryExpressID);
    const v = api.GetVertexArray(geometry.GetVertexData(), geometry.GetVertexDataSize());
    const index = api.GetIndexArray(geometry.GetIndexData(), geometry.GetIndexDataSize());
    const m = placed.flatTransformation;
    const at = (k) => {
      const [x, y, z] = [v[k * 6], v[k * 6 + 1], v[k * 6 + 2]];
      return [m[0] * x + m[4] * y + m[8] * z + m[12], m[1] * x + m[5] * y + m[9] * z + m[13],
        m[2] * x + m[6] * y + m[10] * z + m[14]];
    };
    for (let t = 0; t < index.length; t += 3) tris.push([at(index[t]), at(index[t + 1]), at(index[t + 2])]);
  }
  if (out.spaces[mesh.expressID]) out.spaces[mesh.expressID].tris.push(...tris);
  else out.doors.push(tris);
});
fs.writeFileSync(process.argv[3], JSON.stringify(out));
console.log(`${spaceIds.size()} spaces, ${Object.keys(out.zones).length} zones, ${out.doors.length} doors`);
