/**
 * Builds the stylesheet and copies GOV.UK Frontend's script into
 * public/generated. Run by `npm install` (postinstall) and before start and
 * test; it skips the work when the output is newer than every input.
 */
import { copyFile, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as sass from 'sass';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, 'public/generated');
const STYLES = path.join(ROOT, 'src/platform/views/styles');
const GOVUK_JS = path.join(ROOT, 'node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js');

async function newestInput(): Promise<number> {
  const files = (await readdir(STYLES)).map((name) => path.join(STYLES, name));
  files.push(path.join(ROOT, 'node_modules/govuk-frontend/package.json'));
  const times = await Promise.all(files.map(async (file) => (await stat(file)).mtimeMs));
  return Math.max(...times);
}

async function outputTime(): Promise<number> {
  try {
    return (await stat(path.join(OUT, 'app.css'))).mtimeMs;
  } catch {
    return 0;
  }
}

export async function buildAssets(): Promise<boolean> {
  if ((await outputTime()) > (await newestInput())) return false;
  await mkdir(OUT, { recursive: true });
  const result = sass.compile(path.join(STYLES, 'app.scss'), {
    loadPaths: [path.join(ROOT, 'node_modules')],
    style: 'compressed',
    quietDeps: true,
    silenceDeprecations: ['import'],
  });
  await writeFile(path.join(OUT, 'app.css'), result.css);
  await copyFile(GOVUK_JS, path.join(OUT, 'govuk-frontend.min.js'));
  return true;
}

if (import.meta.main) {
  const built = await buildAssets();
  console.log(built ? 'Built public/generated/app.css' : 'Assets are up to date');
}
