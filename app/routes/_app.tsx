import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { cx } from "~/components/ui";
import { todayIn } from "~/domain/dates";
import { requireUser } from "~/utils/guards.server";

export function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  // The organisation comes with the session (auth.server.ts): no query of its own.
  const org = user.organisation;
  return {
    user: { name: user.name, email: user.email, role: user.role },
    organisation: { name: org.name },
    today: todayIn(org.timeZone, context.now),
  };
}

const navClass = ({ isActive }: { isActive: boolean }) =>
  cx(
    "rounded-md px-3 py-2 text-sm font-medium",
    isActive ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900",
  );

export default function AppLayout() {
  const { user, organisation } = useLoaderData<typeof loader>();
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
          <NavLink to="/plans" className="flex items-center gap-2">
            <img src="/favicon.svg" alt="" className="h-7 w-7" />
            <span className="font-semibold tracking-tight text-slate-900">Plan Together</span>
          </NavLink>
          <nav aria-label="Main" className="flex flex-1 flex-wrap items-center gap-1">
            <NavLink to="/plans" className={navClass}>
              Plans
            </NavLink>
            <NavLink to="/forecast" className={navClass}>
              Forecast
            </NavLink>
            <NavLink to="/templates" className={navClass}>
              Templates
            </NavLink>
            {user.role === "admin" ? (
              <>
                <NavLink to="/team" className={navClass}>
                  Team
                </NavLink>
                <NavLink to="/settings/holidays" className={navClass}>
                  Holidays
                </NavLink>
                <NavLink to="/settings/api" className={navClass}>
                  API
                </NavLink>
                <NavLink to="/settings/webhooks" className={navClass}>
                  Webhooks
                </NavLink>
                <NavLink to="/dev/mailbox" className={navClass}>
                  Mailbox
                </NavLink>
              </>
            ) : null}
          </nav>
          <div className="flex items-center gap-3 text-sm">
            <span className="hidden text-right sm:block">
              <span className="block font-medium text-slate-900">{user.name}</span>
              <span className="block text-xs text-slate-500">{organisation.name}</span>
            </span>
            <Form method="post" action="/logout">
              <button type="submit" className="rounded-md px-3 py-2 font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900">
                Sign out
              </button>
            </Form>
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-8 sm:px-6">
        <Outlet />
      </main>
    </div>
  );
}
