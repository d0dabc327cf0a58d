/**
 * @file Character counting and UK formats for numbers, times and dates.
 */

/**
 * Counts characters as code points, the way the gateway's Python len() does.
 * @param {string} text
 * @returns {number}
 */
export function countCharacters(text) {
  return Array.from(text).length;
}

/**
 * Formats a whole number the UK way, for example 2,000.
 * @param {number} value
 * @returns {string}
 */
export function formatNumber(value) {
  return value.toLocaleString('en-GB');
}

/**
 * Converts a message time (ISO string, seconds or milliseconds) to a Date, or null.
 * @param {*} value
 * @returns {Date|null}
 */
export function toDate(value) {
  if (value === null || value === undefined || value === '') {
    return null;
  }
  let date;
  if (typeof value === 'number') {
    date = new Date(value < 1e12 ? value * 1000 : value);
  } else {
    date = new Date(String(value));
  }
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Formats a time of day as 14:05.
 * @param {Date} date
 * @returns {string}
 */
export function formatClock(date) {
  return date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
}

/**
 * Describes when advisers are next available. Dates become "Monday 5 January at 09:00",
 * and any other string from the gateway is shown as it is.
 * @param {*} value next_open from handoff_state
 * @returns {string}
 */
export function formatNextOpen(value) {
  const date = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? toDate(value) : null;
  if (!date) {
    return value ? String(value) : '';
  }
  const day = date.toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long' });
  return day + ' at ' + formatClock(date);
}
