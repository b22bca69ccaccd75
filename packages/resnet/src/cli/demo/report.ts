/** The demo's report: one self-contained HTML page with the figures inline. */

export interface ReportSection {
  id: string;
  title: string;
  /** Paragraphs of explanation (plain text). */
  paragraphs: string[];
  /** Inline SVG figures. */
  svgs: string[];
  /** The measured numbers, one finding per line. */
  findings: string[];
  /** Files of this section (relative to the report), e.g. its JSONL. */
  files: string[];
  /** The command that reproduces it at a larger scale. */
  command?: string;
}

export interface Report {
  title: string;
  intro: string[];
  meta: string[];
  sections: ReportSection[];
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function section(s: ReportSection): string {
  const files = s.files.map((f) => `<a href="${escapeHtml(f)}">${escapeHtml(f)}</a>`).join(', ');
  return `<section id="${escapeHtml(s.id)}">
<h2>${escapeHtml(s.title)}</h2>
${s.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
<div class="figures">${s.svgs.map((svg) => `<figure>${svg}</figure>`).join('\n')}</div>
<h3>Measured</h3>
<ul>${s.findings.map((f) => `<li>${escapeHtml(f)}</li>`).join('\n')}</ul>
<p class="files">Data: ${files}${s.command ? ` &middot; larger run: <code>${escapeHtml(s.command)}</code>` : ''}</p>
</section>`;
}

export function renderReport(r: Report): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(r.title)}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; line-height: 1.5; color: #222; }
h1 { margin-bottom: 0.2em; } h2 { border-top: 1px solid #ddd; padding-top: 1em; margin-top: 2em; }
figure { display: inline-block; margin: 0.5em 1em 0.5em 0; } figure svg { max-width: 100%; height: auto; }
.meta { color: #666; font-size: 0.9em; } code { background: #f4f4f4; padding: 0 0.3em; }
li { margin: 0.2em 0; } .files { font-size: 0.9em; color: #555; }
nav a { margin-right: 1em; }
</style>
</head>
<body>
<h1>${escapeHtml(r.title)}</h1>
${r.intro.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
<p class="meta">${r.meta.map(escapeHtml).join(' &middot; ')}</p>
<nav>${r.sections.map((s) => `<a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a>`).join('')}</nav>
${r.sections.map(section).join('\n')}
</body>
</html>
`;
}
