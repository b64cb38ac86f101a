/**
 * Module-level zod schemas that a bundle builds only if it uses them.
 *
 * `export const X = /* @__PURE__ *\/ schema(() => z.object(...))` builds X when the module loads, exactly
 * as `export const X = z.object(...)` does. The difference is for esbuild: it cannot know that a zod call
 * has no side effect, so every bundle that imports one schema of a module builds all of them at cold start
 * (response shapes that only the OpenAPI document reads, the schemas of the module's other routes), which
 * cost the functions about a tenth of their module initialisation (bench/cold-start.ts). The annotation
 * lets esbuild drop a schema no code of the bundle uses. Building a schema has no effect beyond its value,
 * but for `.meta({ id })`, which registers it in zod's global registry: only the OpenAPI document reads
 * that registry, and its function uses every schema. Unbundled (tests, the local runtime) nothing changes.
 */
export const schema = <T>(build: () => T): T => build();
