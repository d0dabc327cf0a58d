/**
 * @file Safe links: only https, mailto and tel addresses become clickable. Anything else is
 * shown as plain text.
 */

import { SAFE_PROTOCOLS } from './constants.js';
import { createElement } from './elements.js';

/**
 * Returns the href to use for a URL, or null when it must not become a link. Only absolute
 * https, mailto and tel URLs pass, so javascript:, data:, http: and relative URLs stay text.
 * @param {*} url
 * @returns {string|null}
 */
export function toSafeHref(url) {
  if (typeof url !== 'string') {
    return null;
  }
  let parsed;
  try {
    parsed = new URL(url.trim());
  } catch (error) {
    return null;
  }
  if (!SAFE_PROTOCOLS.includes(parsed.protocol)) {
    return null;
  }
  if (parsed.protocol === 'https:' && (!parsed.hostname || parsed.username || parsed.password)) {
    return null;
  }
  return parsed.href;
}

/**
 * Creates a link for a checked URL, or a plain text span when the URL is unsafe.
 * @param {string} title visible link text
 * @param {*} url address from the server
 * @returns {HTMLElement}
 */
export function createSafeLink(title, url) {
  const href = toSafeHref(url);
  const label = title ? String(title) : String(url || '');
  if (!href) {
    return createElement('span', { class: 'ca-link-unavailable', text: label });
  }
  const $link = createElement('a', { href: href, class: 'ca-link', text: label });
  if (href.startsWith('https:')) {
    $link.setAttribute('target', '_blank');
    $link.setAttribute('rel', 'noopener noreferrer');
    $link.append(createElement('span', { class: 'ca-visually-hidden', text: ' (opens in new tab)' }));
  }
  return $link;
}
