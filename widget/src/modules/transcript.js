/**
 * @file The transcript of the conversation, its download as a .txt file and its print.
 */

import { config } from './config.js';
import { createElement } from './elements.js';
import { formatClock } from './format.js';
import { dom, state } from './state.js';

/**
 * Adds an entry to the in-memory transcript used for download and print.
 * @param {{sender: string, text: string, time: Date|null, links: {title: string, url: string}[]}} entry
 */
export function addToTranscript(entry) {
  state.transcript.push(entry);
}

/**
 * Builds the transcript as plain text.
 * @returns {string}
 */
function buildTranscriptText() {
  const now = new Date();
  const lines = [
    config.councilName + ' chat transcript',
    'Saved on ' + now.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' }) + ' at ' + formatClock(now),
    '',
  ];
  state.transcript.forEach(function (entry) {
    lines.push((entry.time ? formatClock(entry.time) + ' ' : '') + entry.sender + ':');
    if (entry.text) {
      lines.push(entry.text);
    }
    entry.links.forEach(function (link) {
      lines.push('Link: ' + link.title + ' - ' + link.url);
    });
    lines.push('');
  });
  return lines.join('\n');
}

/**
 * Handles "Download transcript": saves the transcript as a .txt file.
 */
export function handleDownloadClick() {
  const blob = new Blob([buildTranscriptText()], { type: 'text/plain;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const slug = config.councilName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'council';
  const day = new Date().toISOString().slice(0, 10);
  const $link = createElement('a', { href: url, download: slug + '-chat-' + day + '.txt', hidden: true });
  document.body.append($link);
  $link.click();
  $link.remove();
  window.setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
}

/**
 * Handles "Print transcript": prints only the transcript, through widget.css's print rules.
 */
export function handlePrintClick() {
  dom.$printArea.textContent = '';
  dom.$printArea.append(createElement('pre', { class: 'ca-print-area__text', text: buildTranscriptText() }));
  document.documentElement.classList.add('ca-printing');
  window.addEventListener('afterprint', function () {
    document.documentElement.classList.remove('ca-printing');
  }, { once: true });
  window.print();
}
