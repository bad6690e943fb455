/** How long each soak runs: MESH_SOAK_MINUTES (scripts/soak.mjs sets it from --minutes), default 5. */
export function soakMinutes(): number {
  const minutes = Number(process.env.MESH_SOAK_MINUTES ?? 5)
  if (!(minutes > 0)) throw new Error(`MESH_SOAK_MINUTES must be a positive number of minutes, not ${process.env.MESH_SOAK_MINUTES}`)
  return minutes
}
