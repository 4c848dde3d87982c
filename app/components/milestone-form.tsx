import { Form } from "@remix-run/react";
import type { MilestoneFormValues } from "~/domain/milestone-form-values";
import { teamOwnerValue } from "~/domain/milestone-owner";
import { Alert, Button, CancelLink, SelectField, TextField } from "~/components/ui";

interface Props {
  values: MilestoneFormValues;
  errors: Partial<Record<string, string[]>>;
  formError?: string | null;
  otherMilestones: Array<{ id: string; title: string }>;
  stakeholders: Array<{ id: string; name: string; side: "buyer" | "seller" }>;
  /** The seller's teammates not on the plan yet: picking one adds them to it on save. */
  team: Array<{ id: string; name: string; isPlanOwner: boolean }>;
  version?: number;
  submitLabel: string;
  cancelTo: string;
  busy: boolean;
}

export function MilestoneForm({ values, errors, formError, otherMilestones, stakeholders, team, version, submitLabel, cancelTo, busy }: Props) {
  return (
    <Form method="post" className="space-y-5" noValidate>
      {version ? <input type="hidden" name="version" value={version} /> : null}
      {formError ? <Alert>{formError}</Alert> : null}
      <TextField label="Title" name="title" required maxLength={200} defaultValue={values.title} error={errors.title?.[0]} />
      <div>
        <label htmlFor="field-description" className="block text-sm font-medium text-slate-800">
          Description
        </label>
        <textarea
          id="field-description"
          name="description"
          rows={3}
          maxLength={5000}
          defaultValue={values.description}
          className="mt-1 block w-full rounded-md border-0 px-3 py-2 text-sm shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500 focus:outline-none"
        />
        {errors.description ? <p className="mt-1 text-sm text-red-700">{errors.description[0]}</p> : null}
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField label="Owned by" name="ownerSide" defaultValue={values.ownerSide} error={errors.ownerSide?.[0]}>
          <option value="buyer">The buyer</option>
          <option value="seller">Us (the seller)</option>
          <option value="joint">Both sides</option>
        </SelectField>
        <SelectField
          label="Owner"
          name="ownerStakeholderId"
          defaultValue={values.ownerStakeholderId}
          error={errors.ownerStakeholderId?.[0]}
          hint={
            team.length ? "Someone from your team joins the plan when you save." : stakeholders.length ? undefined : "Add people to the plan to name an owner."
          }
        >
          <option value="">Nobody named yet</option>
          {stakeholders.length ? (
            <optgroup label="On this plan">
              {stakeholders.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} ({s.side})
                </option>
              ))}
            </optgroup>
          ) : null}
          {team.length ? (
            <optgroup label="Your team">
              {team.map((u) => (
                <option key={u.id} value={teamOwnerValue(u.id)}>
                  {u.name}
                  {u.isPlanOwner ? " (plan owner)" : ""}
                </option>
              ))}
            </optgroup>
          ) : null}
        </SelectField>
        <TextField
          label="Duration (working days)"
          name="durationDays"
          inputMode="numeric"
          defaultValue={values.durationDays}
          error={errors.durationDays?.[0]}
          hint="0 for an event such as a signature."
        />
        <TextField
          label="Gap before it starts (working days)"
          name="lagDays"
          inputMode="numeric"
          defaultValue={values.lagDays}
          error={errors.lagDays?.[0]}
          hint="Days to wait once the milestones it needs are done; usually 0."
        />
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-slate-800">Can start once these are done</legend>
        {otherMilestones.length === 0 ? (
          <p className="mt-1 text-sm text-slate-500">No other milestones yet.</p>
        ) : (
          <div className="mt-2 grid max-h-56 gap-1 overflow-y-auto rounded-md p-2 ring-1 ring-inset ring-slate-200 sm:grid-cols-2">
            {otherMilestones.map((m) => (
              <label key={m.id} className="flex items-center gap-2 rounded px-1 py-0.5 text-sm text-slate-700 hover:bg-slate-50">
                <input
                  type="checkbox"
                  name="dependsOn"
                  value={m.id}
                  defaultChecked={values.dependsOn.includes(m.id)}
                  className="h-4 w-4 rounded border-slate-300 text-brand-600"
                />
                {m.title}
              </label>
            ))}
          </div>
        )}
        {errors.dependsOn ? (
          <p className="mt-1 text-sm text-red-700" role="alert">
            {errors.dependsOn[0]}
          </p>
        ) : null}
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label="Pinned date"
          name="pinnedDate"
          type="date"
          defaultValue={values.pinnedDate}
          error={errors.pinnedDate?.[0]}
          hint="A date the buyer fixed (a board meeting): it becomes the due date."
        />
        <TextField
          label="Done on"
          name="completedOn"
          type="date"
          defaultValue={values.completedOn}
          error={errors.completedOn?.[0]}
          hint="Leave empty while it is open."
        />
      </div>
      <div>
        <label className="flex items-center gap-2 text-sm text-slate-800">
          <input type="checkbox" name="isClose" defaultChecked={values.isClose} className="h-4 w-4 rounded border-slate-300 text-brand-600" />
          This is the signature: its date is the forecast close date
        </label>
        {errors.isClose ? <p className="mt-1 text-sm text-red-700">{errors.isClose[0]}</p> : null}
      </div>
      <div className="flex gap-2">
        <Button type="submit" name="intent" value="save" disabled={busy}>
          {submitLabel}
        </Button>
        <CancelLink to={cancelTo} />
      </div>
    </Form>
  );
}
