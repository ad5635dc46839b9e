/**
 * The workspace's packages point along the data flow and never back
 * (semconv <- sdk <- infra; semconv <- collector <- dashboard), with no
 * cycle even through dev dependencies, and every package declares the
 * workspace packages its files import (hoisting would otherwise hide a
 * missing one until someone installs the package alone).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

interface WorkspacePackage {
  readonly name: string;
  readonly dir: string;
  /** Workspace packages named in dependencies, devDependencies or peerDependencies. */
  readonly dependsOn: readonly string[];
}

function readWorkspaces(): WorkspacePackage[] {
  const root = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { workspaces: string[] };
  const manifests = root.workspaces.map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(repo, dir, 'package.json'), 'utf8')) }));
  const names = new Set(manifests.map((m) => m.manifest.name as string));
  return manifests.map(({ dir, manifest }) => ({
    name: manifest.name,
    dir,
    dependsOn: [
      ...new Set(
        ['dependencies', 'devDependencies', 'peerDependencies'].flatMap((field) => Object.keys(manifest[field] ?? {})).filter((name) => names.has(name)),
      ),
    ],
  }));
}

/** Every dependency cycle, each as the list of package names around it. */
function findCycles(packages: readonly WorkspacePackage[]): string[][] {
  const byName = new Map(packages.map((p) => [p.name, p]));
  const cycles: string[][] = [];
  const done = new Set<string>();
  const visit = (name: string, path: string[]): void => {
    const at = path.indexOf(name);
    if (at >= 0) {
      cycles.push([...path.slice(at), name]);
      return;
    }
    if (done.has(name)) return;
    for (const next of byName.get(name)?.dependsOn ?? []) visit(next, [...path, name]);
    done.add(name);
  };
  for (const p of packages) visit(p.name, []);
  return cycles;
}

/** Source files of one package, other workspace packages nested inside it left out. */
function sourceFiles(dir: string, nested: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (path: string): void => {
    for (const entry of readdirSync(path)) {
      if (['node_modules', 'dist', '.next', 'data'].includes(entry)) continue;
      const full = join(path, entry);
      if (nested.includes(relative(repo, full))) continue;
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ts|tsx|js)$/.test(entry) && !entry.endsWith('.d.ts')) out.push(full);
    }
  };
  walk(join(repo, dir));
  return out;
}

const packages = readWorkspaces();

describe('workspace package graph', () => {
  it('has no dependency cycle, dev dependencies included', () => {
    expect(findCycles(packages)).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    const a = { name: 'a', dir: 'a', dependsOn: ['b'] };
    const b = { name: 'b', dir: 'b', dependsOn: ['c'] };
    const c = { name: 'c', dir: 'c', dependsOn: ['a'] };
    expect(findCycles([a, b, c])).toEqual([['a', 'b', 'c', 'a']]);
  });

  it('points along the data flow', () => {
    const edges = Object.fromEntries(packages.map((p) => [p.name, [...p.dependsOn].sort()]));
    expect(edges['@tunnelvision/semconv']).toEqual([]);
    expect(edges['@tunnelvision/test-support']).toEqual(['@tunnelvision/semconv']);
    expect(edges['@tunnelvision/sdk']).toEqual(['@tunnelvision/semconv', '@tunnelvision/test-support']);
    expect(edges['@tunnelvision/collector']).toEqual(['@tunnelvision/semconv', '@tunnelvision/test-support']);
    expect(edges['@tunnelvision/dashboard']).toEqual(['@tunnelvision/collector', '@tunnelvision/test-support']);
    expect(edges['@tunnelvision/infra']).toEqual(['@tunnelvision/collector', '@tunnelvision/sdk', '@tunnelvision/test-support']);
  });

  it('declares every workspace package a file imports', () => {
    const nestedDirs = packages.map((p) => p.dir);
    const undeclared: string[] = [];
    for (const p of packages) {
      const nested = nestedDirs.filter((d) => d !== p.dir && d.startsWith(`${p.dir}/`));
      for (const file of sourceFiles(p.dir, nested)) {
        for (const [, name] of readFileSync(file, 'utf8').matchAll(/(?:from |import\()'(@tunnelvision\/[a-z-]+)/g)) {
          if (name !== p.name && !p.dependsOn.includes(name!)) undeclared.push(`${relative(repo, file)} imports ${name} (not in ${p.dir}/package.json)`);
        }
      }
    }
    expect(undeclared).toEqual([]);
  });

  it('type-checks workspace source against source, and builds against what each dependency built', () => {
    // A checker without the condition would read another package's dist/, which a fresh clone does not have.
    const conditions = (file: string): string[] | undefined =>
      (ts.readConfigFile(join(repo, file), ts.sys.readFile).config as { compilerOptions?: { customConditions?: string[] } }).compilerOptions?.customConditions;
    for (const file of ['tsconfig.json', 'dashboard/tsconfig.json', 'dashboard/tsconfig.test.json']) expect(conditions(file), file).toContain('@tunnelvision/source');
    for (const file of ['tsconfig.build.base.json', 'sdk/semconv/tsconfig.build.json', 'sdk/tsconfig.build.json', 'collector/tsconfig.build.json', 'infra/tsconfig.build.json']) {
      expect(conditions(file), file).toBeUndefined();
    }
  });
});
