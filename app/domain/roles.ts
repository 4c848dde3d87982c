/** What a person of the seller's organisation may do (app/domain/permissions.ts). */
export type Role = "rep" | "manager" | "admin";

export const ROLES: Array<{ value: Role; label: string; description: string }> = [
  { value: "rep", label: "Rep", description: "Builds and runs their own plans." },
  { value: "manager", label: "Manager", description: "Sees and edits their team's plans and forecast." },
  { value: "admin", label: "Administrator", description: "Sees the whole organisation and manages the team." },
];

export function roleLabel(role: Role): string {
  return ROLES.find((r) => r.value === role)?.label ?? role;
}
