import type { Role } from "~/domain/roles";

/*
 * Who may see and edit which plans. Reps: their own. Managers: their team's, transitively.
 * Admins: the whole organisation. Another organisation's plans do not exist (404, never 403).
 */
export interface Viewer {
  id: string;
  orgId: string;
  role: Role;
}

export type PlanScope = { kind: "org" } | { kind: "owners"; ownerIds: string[] };

/** `teamIds` = the viewer and everyone reporting to them (only consulted for managers). */
export function planScope(viewer: Viewer, teamIds: string[]): PlanScope {
  if (viewer.role === "admin") return { kind: "org" };
  if (viewer.role === "manager") return { kind: "owners", ownerIds: teamIds.includes(viewer.id) ? teamIds : [viewer.id, ...teamIds] };
  return { kind: "owners", ownerIds: [viewer.id] };
}

/** Whether a plan owned by `ownerId` is among the plans a scope lets a person see. */
export function planScopeCovers(scope: PlanScope, ownerId: string): boolean {
  return scope.kind === "org" || scope.ownerIds.includes(ownerId);
}

export function canManageTeam(viewer: Viewer): boolean {
  return viewer.role === "admin";
}
