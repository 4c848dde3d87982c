import js from "@eslint/js";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/", "public/build/", "node_modules/", ".cache/", "playwright-report/", "test-results/", "data/"] },
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
  // Layers (README, "How it is built"; ADR 022). Imports are matched as written, so each rule
  // names both spellings: the `~/` alias and the relative path.
  {
    files: ["app/domain/**"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [
          { group: ["node:*"], message: "app/domain is pure: no Node built-ins (crypto, fs…); put that in app/utils." },
          { group: ["~/models/*", "../models/*", "~/utils/*", "../utils/*", "~/routes/*", "../routes/*", "~/components/*", "../components/*"], message: "app/domain imports only app/domain: it is the bottom layer." },
          { group: ["**/db/*", "**/emails/*", "**/scripts/*", "**/tests/*", "**/bench/*"], message: "app/domain imports only app/domain: it is the bottom layer." },
        ],
      }],
    },
  },
  {
    files: ["app/models/**"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [
          { group: ["~/routes/*", "../routes/*", "~/components/*", "../components/*"], message: "Models sit below routes and components: pass what they need in." },
          { group: ["**/scripts/*", "**/tests/*", "**/bench/*"], message: "Nothing in app/ imports scripts, tests or benchmarks." },
        ],
      }],
    },
  },
  {
    files: ["app/utils/**"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [
          { group: ["~/routes/*", "../routes/*", "~/components/*", "../components/*"], message: "app/utils sits below routes and components." },
          { group: ["**/scripts/*", "**/tests/*", "**/bench/*"], message: "Nothing in app/ imports scripts, tests or benchmarks." },
        ],
      }],
    },
  },
  {
    files: ["app/routes/**", "app/components/**", "app/root.tsx", "app/entry.*.tsx"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [
          { group: ["**/db/*", "!**/db/types"], message: "Routes and components reach the database through app/models, never db/ directly." },
          { group: ["**/scripts/*", "**/tests/*", "**/bench/*"], message: "Nothing in app/ imports scripts, tests or benchmarks." },
        ],
      }],
    },
  },
  // Scripts (entry points and tools), tests and benchmarks share code only through app/ and db/
  // (db/scratch.ts for throwaway databases): none imports another's folder, and scripts, which
  // production runs, never import a benchmark.
  {
    files: ["scripts/**"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [{ group: ["**/tests/*", "**/bench/*"], message: "scripts/ imports neither tests nor benchmarks: share through app/ or db/." }],
      }],
    },
  },
  {
    files: ["tests/**"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [{ group: ["**/scripts/*"], message: "tests/ does not import scripts/: share through app/ or db/ (or tests/support)." }],
      }],
    },
  },
);
