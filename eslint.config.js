// `npm run lint`: ESLint with type information (typescript-eslint), run by .ci/run.
// The rules beyond the recommended sets catch bugs the type checker lets through: a promise
// nobody awaits (a job that "finishes" before its work), an import kept only for its type (it
// would load the module at run time), a switch over a union that forgets a member.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'docs/**', 'runs/**'] },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: {
      // The files tsconfig.check.json type-checks: src, test, bench, scripts, experiments.
      parserOptions: { project: './tsconfig.check.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test awaits what test() and describe() return itself.
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // `while (true)` loops that return or break from inside are the clearest form here.
      'no-constant-condition': ['error', { checkLoops: false }],
      // mm1's errors restate the caught error's message for people (the CLI prints messages,
      // not stacks), so a `cause` would add nothing the message lacks.
      'preserve-caught-error': 'off',
    },
  },
  {
    // Tests read HTTP and JSON replies whose shape is what they assert: `any` is honest there.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Plain JavaScript config files: no type information to lint with.
    files: ['**/*.js', '**/*.mjs'],
    extends: [js.configs.recommended, tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
