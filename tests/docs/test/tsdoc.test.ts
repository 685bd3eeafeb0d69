/**
 * Typechecks every `@example` of the packages' TSDoc (src/tsdoc.mjs finds them) as a user's
 * strict project would, with the exports of every package and of its own source file in scope
 * as if imported. An example is usually a fragment: names it uses without defining (`net`, `X`,
 * `loss`, a custom layer class) are the reader's own and are declared `any`, unless TypeScript
 * suggests an export for one (a misspelt or renamed export). Every type error fails the example's
 * test: a renamed method, an option that no longer exists, a wrong argument or a cast that does
 * not compile is caught here. Examples are typechecked, not run.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { generatedRoot, repoRoot } from '../src/extract.mjs';
import { tsdocExamples } from '../src/tsdoc.mjs';

const dir = join(generatedRoot, 'tsdoc');
const examples = tsdocExamples();

/** The modules whose exports an example sees, in this order (a name exported twice comes from the first). */
const ENTRIES: readonly (readonly [string, string])[] = [
  ['@smolml/core', 'packages/core/src/index.ts'],
  ['@smolml/init', 'packages/init/src/index.ts'],
  ['@smolml/losses', 'packages/losses/src/index.ts'],
  ['@smolml/optim', 'packages/optim/src/index.ts'],
  ['@smolml/nn', 'packages/nn/src/index.ts'],
  ['@smolml/wasm', 'packages/wasm/src/index.ts'],
  ['@smolml/onnx', 'packages/onnx/src/index.ts'],
  ['@smolml/viz', 'packages/viz/src/index.ts'],
  ['@smolml/core/internal', 'packages/core/src/internal.ts'],
];

/** As tsconfig.json, for generated files under this package (ESM, NodeNext, strict, the sources' export condition). */
const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  moduleDetection: ts.ModuleDetectionKind.Force,
  strict: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  skipLibCheck: true,
  noEmit: true,
  types: ['node'],
  customConditions: ['@smolml/source'],
};

interface Export {
  name: string;
  from: string;
  typeOnly: boolean;
}

/** Whether `symbol`'s declaration (or, for a const, its statement) carries an `@example` tag. */
function hasExample(symbol: ts.Symbol): boolean {
  return (symbol.declarations ?? []).some((d) => {
    const node = ts.isVariableDeclaration(d) ? d.parent.parent : d;
    return ts.getJSDocTags(node).some((t) => t.tagName.text === 'example');
  });
}

/**
 * What each example sees: its own source file's exports (for an example of an internal helper),
 * then the packages' (the first module to export a name provides it), values and types apart
 * (with verbatimModuleSyntax a type is imported with `type`); and the public functions and
 * classes (and consts holding functions) without an `@example`, as `package: name`.
 */
function exportsFor(): { scopes: Map<string, Export>[]; undocumented: string[] } {
  const ownFiles = [...new Set(examples.map((e) => e.file))];
  const program = ts.createProgram([...ENTRIES.map(([, file]) => join(repoRoot, file)), ...ownFiles.map((f) => join(repoRoot, f))], OPTIONS);
  const checker = program.getTypeChecker();
  /** A module's exports, each with the symbol it stands for (re-exports resolved). */
  const exportsOf = (file: string): { symbol: ts.Symbol; target: ts.Symbol }[] => {
    const module = checker.getSymbolAtLocation(program.getSourceFile(join(repoRoot, file))!);
    return (module ? checker.getExportsOfModule(module) : []).map((symbol) => ({
      symbol,
      target: symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol,
    }));
  };
  const inScope = (file: string, from: string): Export[] =>
    exportsOf(file).map(({ symbol, target }) => ({ name: symbol.name, from, typeOnly: (target.flags & ts.SymbolFlags.Value) === 0 }));
  const packages = ENTRIES.flatMap(([specifier, file]) => inScope(file, specifier));
  const undocumented = ENTRIES.filter(([specifier]) => !specifier.endsWith('/internal')).flatMap(([specifier, file]) =>
    exportsOf(file).flatMap(({ symbol, target }) => {
      const callable =
        target.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Class) ||
        (target.flags & ts.SymbolFlags.Variable && checker.getTypeOfSymbol(target).getCallSignatures().length > 0);
      return callable && !hasExample(target) ? [`${specifier}: ${symbol.name}`] : [];
    }),
  );
  const own = new Map(ownFiles.map((f) => [f, inScope(f, relative(dir, join(repoRoot, f)).replace(/\.ts$/, '.js'))]));
  const scopes = examples.map((e) => {
    const scope = new Map<string, Export>();
    for (const x of [...own.get(e.file)!, ...packages]) if (!scope.has(x.name)) scope.set(x.name, x);
    return scope;
  });
  return { scopes, undocumented };
}

/** The names an example imports or declares itself at its top level (the prelude leaves them out). */
function ownNames(code: string): Set<string> {
  const own = new Set<string>();
  const add = (list: string) => {
    for (const part of list.split(',')) {
      // `type X`, `X as Y`, `key: name`, `name = default`: the local name
      const name = part.trim().replace(/^type\s+/, '').split(/\s+as\s+|:/).pop()!.split('=')[0]!.trim();
      if (/^[A-Za-z_$][\w$]*$/.test(name)) own.add(name);
    }
  };
  for (const m of code.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from/g)) add(m[1]!);
  for (const m of code.matchAll(/^(?:export\s+)?(?:const|let|var|(?:async\s+)?function\*?|class)\s+(?:([A-Za-z_$][\w$]*)|\{([^}]*)\})/gm)) add(m[1] ?? m[2]!);
  return own;
}

const fileOf = (i: number) => join(dir, `example${String(i).padStart(3, '0')}.ts`);

/** Diagnostics per example, after declaring the reader's own (undefined) names. */
let problems: string[][] = [];
/** Public functions and classes without an `@example` (see exportsFor). */
let undocumented: string[] = [];

beforeAll(() => {
  const found = exportsFor();
  const scopes = found.scopes;
  undocumented = found.undocumented;
  const preludes = examples.map(({ code }, i) => {
    const own = ownNames(code);
    const bySource = new Map<string, string[]>();
    for (const e of scopes[i]!.values()) {
      if (own.has(e.name)) continue;
      bySource.set(e.from, [...(bySource.get(e.from) ?? []), `${e.typeOnly ? 'type ' : ''}${e.name}`]);
    }
    return [...bySource].map(([from, names]) => `import { ${names.join(', ')} } from '${from}';`).join('\n');
  });
  /** Lines before each example's code in its file (to report the example's own line numbers). */
  const headers: number[] = [];
  const write = (placeholders: Set<string>[]) => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    examples.forEach((e, i) => {
      const declared = [...placeholders[i]!].map((n) => `declare const ${n}: any;`);
      const header = [preludes[i]!, ...declared, `// ${e.file}:${e.line}`].join('\n');
      headers[i] = header.split('\n').length;
      writeFileSync(fileOf(i), `${header}\n${e.code}\nexport {};\n`);
    });
  };
  const check = (program: ts.Program) =>
    examples.map((_, i) => {
      const source = program.getSourceFile(fileOf(i))!;
      return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    });

  const none = examples.map(() => new Set<string>());
  write(none);
  let program = ts.createProgram(examples.map((_, i) => fileOf(i)), OPTIONS);
  // "Cannot find name 'x'" (2304; 2552 when TypeScript suggests a name) and "No value exists in scope
  // for the shorthand property 'x'" (18004): the reader's own value, unless the suggestion is an export
  const placeholders = check(program).map((ds, i) => {
    const names = new Set<string>();
    for (const d of ds) {
      if (d.code !== 2304 && d.code !== 2552 && d.code !== 18004) continue;
      const [name, suggestion] = [...ts.flattenDiagnosticMessageText(d.messageText, '\n').matchAll(/'([^']+)'/g)].map((m) => m[1]!);
      if (name !== undefined && !(suggestion !== undefined && scopes[i]!.has(suggestion))) names.add(name);
    }
    return names;
  });
  write(placeholders);
  program = ts.createProgram(examples.map((_, i) => fileOf(i)), OPTIONS, undefined, program);
  problems = check(program).map((ds, i) =>
    ds.map((d) => {
      const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
      const line = where === undefined ? '' : where.line < headers[i]! ? 'in the imports the test adds: ' : `line ${where.line - headers[i]! + 1} of the example: `;
      return `${line}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    }),
  );
}, 120_000);

describe('TSDoc @example blocks typecheck against the packages', () => {
  it('finds the examples', () => {
    expect(examples.length).toBeGreaterThan(50);
  });
  it('every public function and class has one (constants and types need none)', () => {
    expect(undocumented).toEqual([]);
  });
  examples.forEach((e, i) => {
    it(`${e.file}:${e.line}`, () => {
      expect(problems[i], `${e.file}:${e.line}\n${e.code}`).toEqual([]);
    });
  });
});
