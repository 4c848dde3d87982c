import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, Link, Links, Meta, Outlet, useRouteError } from "@remix-run/react";
import type { ReactNode } from "react";
import { useNonce } from "~/components/nonce";
import { PageScripts } from "~/components/page-scripts";
import { Stylesheet } from "~/components/stylesheet";

// The stylesheet is linked, or inlined on a buyer's page, by <Stylesheet /> (components/stylesheet.tsx).
export const links: LinksFunction = () => [{ rel: "icon", href: "/favicon.svg", type: "image/svg+xml" }];

export const meta: MetaFunction = () => [{ title: "Plan Together" }];

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en" className="h-full">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Stylesheet />
        <Links />
      </head>
      <body className="min-h-full">
        {children}
        <PageScripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const title = status === 404 ? "Page not found" : status === 403 ? "Not allowed" : status === 429 ? "Slow down" : "Something went wrong";
  // The router's own 404/405 ("No route matches URL …") is not a message for people, and the
  // browser receives it differently from the server (a hydration mismatch): say it in our words.
  const internal = isRouteErrorResponse(error) && (error as { internal?: boolean }).internal === true;
  const detail = isRouteErrorResponse(error)
    ? typeof error.data === "string" && error.data && !internal
      ? error.data
      : status === 404
        ? "We couldn't find that page."
        : error.statusText
    : "An unexpected error happened on our side. Please try again in a moment.";
  return (
    <main className="mx-auto flex min-h-screen max-w-lg flex-col items-center justify-center px-6 text-center">
      <p className="text-sm font-semibold text-brand-600">{status}</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
      <p className="mt-3 text-slate-600">{detail}</p>
      <Link to="/" className="mt-6 rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">
        Go to the start page
      </Link>
    </main>
  );
}
