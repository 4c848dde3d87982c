import type { Role } from "../../db/types";

export const ROLES: Array<{ value: Role; label: string; description: string }> = [
  { value: "rep", label: "Rep", description: "Builds and runs their own plans." },
  { value: "manager", label: "Manager", description: "Sees and edits their team's plans and forecast." },
  { value: "admin", label: "Administrator", description: "Sees the whole organisation and manages the team." },
];

export function roleLabel(role: Role): string {
  return ROLES.find((r) => r.value === role)?.label ?? role;
}
