/* Whose plans the forecast covers: the viewer's own, a team, the organisation, or one rep of them. */

export type ForecastScopeChoice =
  { kind: "org"; title: string } | { kind: "team"; managerId: string; title: string } | { kind: "owner"; ownerId: string; title: string };

/**
 * Reps see their own plans; managers their team (transitively); admins the organisation, or the
 * team of a manager they pick. `team` from a non-admin is ignored with a notice; an admin's
 * unknown team is a 404 (it names nobody in their organisation).
 */
export function chooseForecastScope(
  viewer: { id: string; name: string; role: "rep" | "manager" | "admin" },
  team: string | null,
  managers: Array<{ id: string; name: string }>,
): { ok: true; scope: ForecastScopeChoice; team: string | null; notice: string | null } | { ok: false; status: 404; message: string } {
  const asked = team && team.trim() !== "" ? team.trim() : null;
  if (viewer.role === "admin") {
    if (!asked) return { ok: true, scope: { kind: "org", title: "Whole organisation" }, team: null, notice: null };
    const manager = managers.find((m) => m.id === asked);
    if (!manager) return { ok: false, status: 404, message: "That team isn't in your organisation. Pick a manager from the list." };
    return { ok: true, scope: { kind: "team", managerId: manager.id, title: `${manager.name}'s team` }, team: manager.id, notice: null };
  }
  const notice = asked ? "Only an administrator can pick a team; this is your own forecast." : null;
  if (viewer.role === "manager") return { ok: true, scope: { kind: "team", managerId: viewer.id, title: `${viewer.name}'s team` }, team: null, notice };
  return { ok: true, scope: { kind: "owner", ownerId: viewer.id, title: `${viewer.name}'s plans` }, team: null, notice };
}

/**
 * Narrows a manager's or an admin's scope to one person of it (`?rep=`): `reps` are the people
 * whose plans the scope covers. A rep's own forecast has nobody to pick; someone outside the scope
 * (say, an admin switched teams with the previous team's rep still picked) shows the whole scope,
 * with a notice, never another team's plans.
 */
export function chooseForecastRep(
  viewer: { role: "rep" | "manager" | "admin" },
  scope: ForecastScopeChoice,
  rep: string | null,
  reps: Array<{ id: string; name: string }>,
): { ok: true; scope: ForecastScopeChoice; rep: string | null; notice: string | null } {
  const asked = rep && rep.trim() !== "" ? rep.trim() : null;
  if (!asked) return { ok: true, scope, rep: null, notice: null };
  if (viewer.role === "rep") return { ok: true, scope, rep: null, notice: "Your forecast shows your own plans; there is no rep to pick." };
  const person = reps.find((r) => r.id === asked);
  if (!person)
    return {
      ok: true,
      scope,
      rep: null,
      notice: `That rep isn't on ${scope.kind === "org" ? "the organisation's teams" : "this team"}; this is ${scope.title.replace(/^Whole organisation$/, "the whole organisation")}.`,
    };
  return { ok: true, scope: { kind: "owner", ownerId: person.id, title: `${person.name}'s plans` }, rep: person.id, notice: null };
}
