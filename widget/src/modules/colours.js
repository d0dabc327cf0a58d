/**
 * @file The primary colour: parsing, the WCAG contrast check against white text, and the hover shade.
 */

import { DEFAULT_PRIMARY_COLOUR, MIN_TEXT_CONTRAST } from './constants.js';

/**
 * Parses #rgb or #rrggbb into [r, g, b], or returns null.
 * @param {string} colour
 * @returns {number[]|null}
 */
function parseHexColour(colour) {
  const match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(String(colour).trim());
  if (!match) {
    return null;
  }
  let hex = match[1];
  if (hex.length === 3) {
    hex = hex.split('').map(function (digit) { return digit + digit; }).join('');
  }
  return [0, 2, 4].map(function (start) { return parseInt(hex.slice(start, start + 2), 16); });
}

/**
 * Computes the WCAG 2 contrast ratio of a colour against white.
 * @param {number[]} rgb
 * @returns {number}
 */
function contrastWithWhite(rgb) {
  const channels = rgb.map(function (value) {
    const channel = value / 255;
    return channel <= 0.03928 ? channel / 12.92 : Math.pow((channel + 0.055) / 1.055, 2.4);
  });
  const luminance = 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
  return 1.05 / (luminance + 0.05);
}

/**
 * Returns the configured primary colour when white text on it meets 4.5:1, else the default.
 * @param {string} colour
 * @returns {string}
 */
export function choosePrimaryColour(colour) {
  const rgb = parseHexColour(colour);
  if (!rgb) {
    console.warn('Council assistant: primary colour "' + colour + '" is not a #rgb or #rrggbb value, so the default is used.');
    return DEFAULT_PRIMARY_COLOUR;
  }
  const ratio = contrastWithWhite(rgb);
  if (ratio < MIN_TEXT_CONTRAST) {
    console.warn('Council assistant: white text on ' + colour + ' has contrast ' + ratio.toFixed(2) + ':1, below 4.5:1, so the default colour is used.');
    return DEFAULT_PRIMARY_COLOUR;
  }
  return colour;
}

/**
 * Darkens a colour by a fraction, for hover states.
 * @param {string} colour #rrggbb or #rgb
 * @param {number} fraction 0 to 1
 * @returns {string}
 */
export function darken(colour, fraction) {
  const rgb = parseHexColour(colour) || parseHexColour(DEFAULT_PRIMARY_COLOUR);
  return '#' + rgb.map(function (value) {
    return Math.round(value * (1 - fraction)).toString(16).padStart(2, '0');
  }).join('');
}
