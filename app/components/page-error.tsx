import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { ButtonLink, EmptyState, PageHeader } from "~/components/ui";

/**
 * A page's error boundary: the refusal the loader gave (a 400's or 404's message), or a calm
 * fallback, with the way back. A 400 is the reader's request that cannot be shown.
 */
export function PageError({
  title,
  fallback,
  back,
  badRequestTitle,
}: {
  title: string;
  fallback: string;
  back: { to: string; label: string };
  badRequestTitle?: string;
}) {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message = isRouteErrorResponse(error) && typeof error.data === "string" ? error.data : fallback;
  return (
    <>
      <PageHeader title={title} />
      <EmptyState
        title={status === 400 && badRequestTitle ? badRequestTitle : status === 404 ? "Not found" : "Something went wrong"}
        action={
          <ButtonLink to={back.to} kind="secondary">
            {back.label}
          </ButtonLink>
        }
      >
        {message}
      </EmptyState>
    </>
  );
}
