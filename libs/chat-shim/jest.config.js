/**
 * Jest for the shim: jsdom, as in a browser; mock-socket (through jest-websocket-mock) stands in
 * for the server. ts-jest only transpiles (isolatedModules); `npm run typecheck` type-checks.
 * Bazel passes --cacheDirectory=$TEST_TMPDIR/jest on the command line.
 */
/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'jsdom',
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      {
        tsconfig: {
          module: 'commonjs',
          target: 'es2022',
          strict: true,
          isolatedModules: true,
          types: ['jest'],
        },
      },
    ],
  },
};
