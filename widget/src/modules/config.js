/**
 * @file Configuration from the script tag and window.CouncilAssistantConfig, and the
 * sessionStorage helpers.
 */

import { DEFAULT_PRIMARY_COLOUR } from './constants.js';

/**
 * The resolved configuration. loadConfig fills it before any other module reads it.
 * @type {object}
 */
export const config = {};

/**
 * Fills `config` from the script tag that loaded widget.js and window.CouncilAssistantConfig.
 * @param {HTMLScriptElement|null} $tag the script tag that loaded widget.js
 */
export function loadConfig($tag) {
  Object.assign(config, readConfig($tag));
}

/**
 * Builds the configuration from window.CouncilAssistantConfig and the script tag's data
 * attributes. A data attribute wins over the same key in the window object.
 * @param {HTMLScriptElement|null} $tag the script tag that loaded widget.js
 * @returns {object} the resolved configuration
 */
function readConfig($tag) {
  const fromWindow = window.CouncilAssistantConfig && typeof window.CouncilAssistantConfig === 'object'
    ? window.CouncilAssistantConfig
    : {};
  const fromTag = $tag ? $tag.dataset : {};
  const scriptUrl = $tag && $tag.src ? $tag.src : new URL('/widget/widget.js', window.location.href).href;

  /**
   * Returns one option as a string, or the fallback when neither source sets it.
   * @param {string} name camelCase option name
   * @param {string} fallback default value
   * @returns {string}
   */
  function pick(name, fallback) {
    if (fromTag[name] !== undefined) {
      return String(fromTag[name]);
    }
    if (fromWindow[name] !== undefined && fromWindow[name] !== null) {
      return String(fromWindow[name]);
    }
    return fallback;
  }

  const serverUrl = pick('serverUrl', '').trim();
  const base = serverUrl || window.location.href;
  return {
    serverUrl: serverUrl,
    socketPath: pick('socketPath', '/socket.io/'),
    councilName: pick('councilName', 'Shropshire Council'),
    primaryColour: pick('primaryColour', pick('primaryColor', DEFAULT_PRIMARY_COLOUR)),
    privacyUrl: new URL(pick('privacyUrl', '/privacy'), base).href,
    contactPhone: pick('contactPhone', '0345 678 9000'),
    contactEmail: pick('contactEmail', 'customer.service@shropshire.gov.uk'),
    launcherText: pick('launcherText', ''),
    vendorUrl: new URL(pick('vendorUrl', 'vendor/socket.io.min.js'), scriptUrl).href,
    stylesheetUrl: pick('stylesheetUrl', new URL('widget.css', scriptUrl).href),
  };
}

/**
 * Reads a value from sessionStorage, or null where storage is blocked.
 * @param {string} key
 * @returns {string|null}
 */
export function readStorage(key) {
  try {
    return window.sessionStorage.getItem(key);
  } catch (error) {
    return null;
  }
}

/**
 * Writes a value to sessionStorage, or removes it when the value is null. Blocked storage
 * only costs persistence across reloads, so its errors are ignored.
 * @param {string} key
 * @param {string|null} value
 */
export function writeStorage(key, value) {
  try {
    if (value === null || value === undefined) {
      window.sessionStorage.removeItem(key);
    } else {
      window.sessionStorage.setItem(key, value);
    }
  } catch (error) {
    // Browsers can block storage. The chat still works within this page.
  }
}

/**
 * Parses JSON, returning null for missing or invalid input.
 * @param {string|null} text
 * @returns {*}
 */
export function parseJson(text) {
  if (!text) {
    return null;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    return null;
  }
}
