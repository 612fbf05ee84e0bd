// Library entry point: `import { ... } from 'mm1'`.
export {};
