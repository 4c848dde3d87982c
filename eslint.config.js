import js from "@eslint/js";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

// Layers (README, "How it is built"; ADR 022). Everything in app/ is imported as `~/…`, so a rule
// names a folder once; a relative import inside app/ is refused, and so is `db/` except its types.
const OUTSIDE_APP = {
  group: ["**/scripts/*", "**/tests/*", "**/bench/*", "**/server/*"],
  message: "Nothing in app/ imports scripts, tests, benchmarks or the HTTP server: they sit above the app.",
};
const RELATIVE = {
  regex: "^\\.\\.?/(?!(\\.\\./)*(db/types|emails/[\\w-]+)$)",
  message: "Import from app/ with the ~/ alias (db/ only for its types, emails/ for the templates): one spelling for each module.",
};
const DATABASE_HANDLE = {
  group: ["~/infra/db.server", "~/infra/pglite-dialect.server", "~/infra/prepared-statements.server"],
  message: "Routes, route helpers and components reach the database through app/models.",
};

const NO_SQL = { name: "kysely", allowTypeImports: true, message: "SQL lives in app/models: call a model (types from kysely are fine)." };

/** `~/<folder>/*` patterns for the layers a folder may not import. */
const above = (folders, message) => ({ group: folders.map((f) => `~/${f}/*`), message });

const ALIAS = { regex: "^(\\.\\./)+app/", message: "Import app/ modules with the ~/ alias." };
const outside = (files, ...patterns) => ({ files, rules: { "no-restricted-imports": ["error", { patterns: [ALIAS, ...patterns] }] } });

const layer = (files, ...patterns) => ({
  files,
  rules: { "no-restricted-imports": ["error", { patterns: [RELATIVE, OUTSIDE_APP, ...patterns] }] },
});

export default tseslint.config(
  { ignores: ["build/", "public/build/", "node_modules/", ".cache/", "playwright-report/", "test-results/", "data/", "patches/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-empty-object-type": ["error", { allowInterfaces: "with-single-extends" }],
      "no-console": "off",
    },
  },
  layer(
    ["app/domain/**"],
    { group: ["node:*"], message: "app/domain is pure: no Node built-ins (crypto, fs…); put that in app/infra." },
    above(["infra", "models", "jobs", "route-helpers", "routes", "components"], "app/domain imports only app/domain: it is the bottom layer."),
    { regex: "(^|/)db/", message: "app/domain imports only app/domain: the schema's words are declared here and db/types imports them." },
  ),
  layer(
    ["app/infra/**"],
    above(
      ["models", "jobs", "route-helpers", "routes", "components"],
      "app/infra sits below the models: it holds the database handle, env, secrets and signing, and knows no plan.",
    ),
  ),
  layer(
    ["app/models/**"],
    above(["jobs", "route-helpers", "routes", "components"], "Models sit below jobs, route helpers, routes and components: pass what they need in."),
  ),
  layer(["app/jobs/**"], above(["route-helpers", "routes", "components"], "Background jobs sit below the routes: they use models and infra only.")),
  layer(["app/route-helpers/**"], above(["routes", "components"], "Route helpers sit below routes and components."), DATABASE_HANDLE),
  layer(
    ["app/components/**"],
    above(["infra", "jobs", "route-helpers", "routes"], "Components render what routes hand them: they import the domain and other components only."),
  ),
  // A component's props may be the shape a model returns: types only, gone at run time.
  {
    files: ["app/components/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          paths: [NO_SQL],
          patterns: [{ group: ["~/models/*"], allowTypeImports: true, message: "Components take data as props: from a model they may import types only." }],
        },
      ],
    },
  },
  { files: ["app/routes/**", "app/route-helpers/**"], rules: { "@typescript-eslint/no-restricted-imports": ["error", { paths: [NO_SQL] }] } },
  layer(["app/routes/**", "app/root.tsx", "app/entry.*.tsx"], DATABASE_HANDLE),
  // Outside app/, app's modules are still imported as `~/…` (one spelling everywhere). Scripts
  // (entry points and tools), tests and benchmarks share code only through app/ and db/
  // (db/scratch.ts for throwaway databases): scripts never import tests or benchmarks, tests never
  // import scripts, and the HTTP server imports none of them.
  outside(["db/**", "bench/**", "emails/**"]),
  outside(["scripts/**"], { group: ["**/tests/*", "**/bench/*"], message: "scripts/ imports neither tests nor benchmarks: share through app/ or db/." }),
  outside(["tests/**"], { group: ["**/scripts/*"], message: "tests/ does not import scripts/: share through app/ or db/ (or tests/support)." }),
  outside(["server/**"], { group: ["**/scripts/*", "**/tests/*", "**/bench/*"], message: "The HTTP server imports neither scripts, tests nor benchmarks." }),
);
