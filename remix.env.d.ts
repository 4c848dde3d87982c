/// <reference types="@remix-run/dev" />

import "@remix-run/node";

declare module "@remix-run/node" {
  // Single fetch: loader and action data keep their types (Dates stay Dates).
  interface Future {
    v3_singleFetch: true;
  }
}
