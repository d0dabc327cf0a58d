/**
 * @file Element creation. Text is only ever written with textContent, never parsed as HTML.
 */

/**
 * Creates an element with attributes and text. Text is always set with textContent.
 * @param {string} tag element name
 * @param {object} [attributes] attribute names and values, where `text` sets textContent
 * @param {Array<Node|string>} [children] nodes or strings to append
 * @returns {HTMLElement}
 */
export function createElement(tag, attributes, children) {
  const $element = document.createElement(tag);
  Object.entries(attributes || {}).forEach(function ([name, value]) {
    if (value === null || value === undefined || value === false) {
      return;
    }
    if (name === 'text') {
      $element.textContent = String(value);
    } else {
      $element.setAttribute(name, value === true ? '' : String(value));
    }
  });
  (children || []).forEach(function (child) {
    $element.append(child);
  });
  return $element;
}
