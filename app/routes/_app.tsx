import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, NavLink, Outlet, useLoaderData, useLocation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { cx } from "~/components/ui";
import { todayIn } from "~/domain/dates";
import { requireUser } from "~/route-helpers/guards.server";

export function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  // The organisation comes with the session (auth.server.ts): no query of its own.
  const org = user.organisation;
  return {
    user: { name: user.name, email: user.email, role: user.role },
    organisation: { name: org.name },
    today: todayIn(org.timeZone, context.now),
    mailbox: context.devMailbox,
  };
}

const navClass = ({ isActive }: { isActive: boolean }) =>
  cx("rounded-md px-3 py-2 text-sm font-medium", isActive ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900");

function NavLinks({ admin, mailbox, className }: { admin: boolean; mailbox: boolean; className?: string }) {
  return (
    <nav aria-label="Main" className={className}>
      <NavLink to="/plans" className={navClass}>
        Plans
      </NavLink>
      <NavLink to="/forecast" className={navClass}>
        Forecast
      </NavLink>
      <NavLink to="/templates" className={navClass}>
        Templates
      </NavLink>
      <NavLink to="/settings/chat" className={navClass}>
        Chat alerts
      </NavLink>
      {admin ? (
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
          <NavLink to="/settings/branding" className={navClass}>
            Branding
          </NavLink>
          <NavLink to="/settings/sso" className={navClass}>
            SSO
          </NavLink>
          {mailbox ? (
            <NavLink to="/dev/mailbox" className={navClass}>
              Mailbox
            </NavLink>
          ) : null}
        </>
      ) : null}
    </nav>
  );
}

function SignOut({ className }: { className?: string }) {
  return (
    <Form method="post" action="/logout">
      <button type="submit" className={cx("rounded-md px-3 py-2 text-sm font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900", className)}>
        Sign out
      </button>
    </Form>
  );
}

/**
 * On a phone the navigation folds into one "Menu" button: a <details>, so it opens without
 * JavaScript; with it, the menu closes again after each navigation.
 */
function PhoneMenu({ admin, mailbox, name, organisation }: { admin: boolean; mailbox: boolean; name: string; organisation: string }) {
  const menu = useRef<HTMLDetailsElement>(null);
  const location = useLocation();
  useEffect(() => {
    if (menu.current) menu.current.open = false;
  }, [location.key]);
  return (
    <details ref={menu} className="group relative ml-auto sm:hidden">
      <summary className="flex cursor-pointer list-none items-center gap-1.5 rounded-md px-3 py-2 text-sm font-medium text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 [&::-webkit-details-marker]:hidden">
        <svg aria-hidden viewBox="0 0 20 20" className="h-4 w-4" fill="currentColor">
          <path d="M3 5h14v2H3zM3 9h14v2H3zM3 13h14v2H3z" />
        </svg>
        Menu
      </summary>
      <div className="absolute right-0 z-20 mt-2 w-64 rounded-lg bg-white p-2 shadow-lg ring-1 ring-slate-200">
        <p className="px-3 pb-2 pt-1 text-sm">
          <span className="block font-medium text-slate-900">{name}</span>
          <span className="block text-xs text-slate-500">{organisation}</span>
        </p>
        <NavLinks admin={admin} mailbox={mailbox} className="flex flex-col gap-0.5 border-t border-slate-100 pt-2" />
        <div className="mt-2 flex flex-col gap-0.5 border-t border-slate-100 pt-2">
          <NavLink to="/account" className={navClass}>
            Your account
          </NavLink>
          <SignOut className="w-full text-left" />
        </div>
      </div>
    </details>
  );
}

export default function AppLayout() {
  const { user, organisation, mailbox } = useLoaderData<typeof loader>();
  const admin = user.role === "admin";
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl items-center gap-x-6 px-4 py-3 sm:px-6">
          <NavLink to="/plans" className="flex shrink-0 items-center gap-2">
            <img src="/favicon.svg" alt="" className="h-7 w-7" />
            <span className="font-semibold tracking-tight text-slate-900">Plan Together</span>
          </NavLink>
          <NavLinks admin={admin} mailbox={mailbox} className="hidden flex-1 flex-wrap items-center gap-1 sm:flex" />
          <div className="hidden items-center gap-3 text-sm sm:flex">
            {/* The user menu: your name leads to your account (password change). */}
            <NavLink to="/account" className={({ isActive }) => cx("rounded-md px-2 py-1 text-right hover:bg-slate-100", isActive && "bg-brand-50")}>
              <span className="block font-medium text-slate-900">
                <span className="hidden md:inline">{user.name}</span>
                <span className="md:hidden">Account</span>
              </span>
              <span className="hidden text-xs text-slate-600 md:block">{organisation.name} · Your account</span>
            </NavLink>
            <SignOut />
          </div>
          <PhoneMenu admin={admin} mailbox={mailbox} name={user.name} organisation={organisation.name} />
        </div>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-8 sm:px-6">
        <Outlet />
      </main>
    </div>
  );
}
