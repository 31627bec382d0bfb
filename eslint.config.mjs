// ESLint (flat config): JavaScript's and typescript-eslint's recommended rules, without type
// information (fast on a small machine; `tsc --noEmit` does the type checking), and with every
// layout rule off (eslint-config-prettier: Prettier decides layout). `npm run lint`.
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: ["**/node_modules/**", "**/bin/**", "out/**", ".check-cache/**", ".data-local/**", "cli/check/schema/**"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // `_name` marks a parameter or binding kept on purpose (a signature, a rest sibling).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
      // Lazy `require()` is deliberate where a module is only known at run time or loads slowly.
      "@typescript-eslint/no-require-imports": "off",
      // Input validation rejects control characters on purpose.
      "no-control-regex": "off",
    },
  },
  {
    files: ["**/*.js"],
    languageOptions: { sourceType: "commonjs" },
    // CommonJS preloads take `performance` etc. from their modules, shadowing the globals.
    rules: { "no-redeclare": ["error", { builtinGlobals: false }] },
  },
  {
    // The recorder drives the Pulumi runtime's untyped internals (settings, mocks).
    files: ["engine/recorder/record.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // Tests build odd inputs on purpose and assert with chai's property chains.
    files: ["test/**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unused-expressions": "off",
    },
  },
);
