/**
 * @file Form fields and GOV.UK-style error messages, shared by the out-of-hours and feedback forms.
 */

import { createElement } from './elements.js';

/**
 * Builds a labelled form field with its hint and error slots.
 * @param {{id: string, label: string, hint?: string, control: HTMLElement}} field
 * @returns {HTMLElement}
 */
export function renderField(field) {
  const describedBy = [];
  const $group = createElement('div', { class: 'ca-field', id: field.id + '-group' }, [
    createElement('label', { class: 'ca-label', for: field.id, text: field.label }),
  ]);
  if (field.hint) {
    $group.append(createElement('p', { class: 'ca-hint', id: field.id + '-hint', text: field.hint }));
    describedBy.push(field.id + '-hint');
  }
  $group.append(createElement('p', { class: 'ca-error-message', id: field.id + '-error', hidden: true }));
  field.control.id = field.id;
  if (describedBy.length > 0) {
    field.control.setAttribute('aria-describedby', describedBy.join(' '));
  }
  $group.append(field.control);
  return $group;
}

/**
 * Shows errors in a summary at the top of a form (focused, as GOV.UK forms do) and next to
 * each field.
 * @param {HTMLFormElement} $form
 * @param {HTMLElement} $summary
 * @param {{id: string, message: string}[]} errors
 */
export function updateFormErrors($form, $summary, errors) {
  $form.querySelectorAll('.ca-error-message').forEach(function ($error) {
    $error.hidden = true;
    $error.textContent = '';
  });
  $form.querySelectorAll('[aria-invalid]').forEach(function ($control) {
    $control.removeAttribute('aria-invalid');
    const describedBy = ($control.getAttribute('aria-describedby') || '').split(' ').filter(function (id) {
      return id && !id.endsWith('-error');
    });
    if (describedBy.length > 0) {
      $control.setAttribute('aria-describedby', describedBy.join(' '));
    } else {
      $control.removeAttribute('aria-describedby');
    }
  });
  $form.querySelectorAll('.ca-field--error').forEach(function ($group) {
    $group.classList.remove('ca-field--error');
  });
  $summary.textContent = '';
  if (errors.length === 0) {
    $summary.hidden = true;
    return;
  }

  const $list = createElement('ul', { class: 'ca-error-summary__list' });
  errors.forEach(function (error) {
    const $control = $form.querySelector('#' + error.id);
    const $error = $form.querySelector('#' + error.id + '-error');
    $error.hidden = false;
    $error.append(createElement('span', { class: 'ca-visually-hidden', text: 'Error: ' }), error.message);
    $control.setAttribute('aria-invalid', 'true');
    $control.setAttribute('aria-describedby', [error.id + '-error'].concat(($control.getAttribute('aria-describedby') || '').split(' ').filter(Boolean)).join(' '));
    $form.querySelector('#' + error.id + '-group').classList.add('ca-field--error');
    const $link = createElement('a', { href: '#' + error.id, text: error.message });
    $link.addEventListener('click', function (event) {
      event.preventDefault();
      $control.focus();
    });
    $list.append(createElement('li', {}, [$link]));
  });
  $summary.append(createElement('h4', { class: 'ca-error-summary__title', text: 'There is a problem' }), $list);
  $summary.hidden = false;
  $summary.focus();
}
