/**
 * @file The feedback form shown after an adviser closes the chat.
 */

import { sendEvent } from './connection.js';
import { MAX_COMMENT_LENGTH } from './constants.js';
import { createElement } from './elements.js';
import { countCharacters, formatNumber } from './format.js';
import { renderField, updateFormErrors } from './forms.js';
import { updatePanel } from './handoff.js';

/**
 * Shows the feedback form after an adviser has closed the chat.
 */
export function renderFeedbackForm() {
  const $form = createElement('form', { class: 'ca-form ca-feedback', novalidate: true, 'aria-label': 'Feedback' });
  const $summary = createElement('div', { class: 'ca-error-summary', id: 'ca-fb-summary', tabindex: '-1', hidden: true });
  const $yes = createElement('input', { type: 'radio', class: 'ca-radio__input', id: 'ca-fb-rating', name: 'rating', value: 'up' });
  const $no = createElement('input', { type: 'radio', class: 'ca-radio__input', id: 'ca-fb-rating-no', name: 'rating', value: 'down' });
  const $comment = createElement('textarea', { name: 'comment', rows: '3', class: 'ca-text-input' });
  const $fieldset = createElement('fieldset', { class: 'ca-fieldset ca-field', id: 'ca-fb-rating-group' }, [
    createElement('legend', { class: 'ca-panel__title', text: 'Did this chat help you?' }),
    createElement('p', { class: 'ca-error-message', id: 'ca-fb-rating-error', hidden: true }),
    createElement('div', { class: 'ca-radios' }, [
      createElement('div', { class: 'ca-radio' }, [$yes, createElement('label', { class: 'ca-radio__label', for: 'ca-fb-rating', text: 'Yes' })]),
      createElement('div', { class: 'ca-radio' }, [$no, createElement('label', { class: 'ca-radio__label', for: 'ca-fb-rating-no', text: 'No' })]),
    ]),
  ]);
  const $submit = createElement('button', { type: 'submit', class: 'ca-button', text: 'Send feedback' });
  const $skip = createElement('button', { type: 'button', class: 'ca-button ca-button--secondary', text: 'Skip' });
  $skip.addEventListener('click', handleFeedbackSkip);
  $form.append(
    $summary,
    $fieldset,
    renderField({ id: 'ca-fb-comment', label: 'Tell us more (optional)', hint: 'Up to ' + formatNumber(MAX_COMMENT_LENGTH) + ' characters. Do not include personal details.', control: $comment }),
    createElement('div', { class: 'ca-form__actions' }, [$submit, $skip])
  );
  $form.addEventListener('submit', handleFeedbackSubmit);

  updatePanel($form);
}

/**
 * Handles the feedback form: checks a rating is chosen, then sends feedback.
 * @param {SubmitEvent} event
 */
function handleFeedbackSubmit(event) {
  event.preventDefault();
  const $form = event.currentTarget;
  const $checked = $form.querySelector('input[name="rating"]:checked');
  const comment = $form.elements.comment.value.trim();
  const errors = [];
  if (!$checked) {
    errors.push({ id: 'ca-fb-rating', message: 'Select yes or no' });
  }
  if (countCharacters(comment) > MAX_COMMENT_LENGTH) {
    errors.push({ id: 'ca-fb-comment', message: 'Your comment must be ' + formatNumber(MAX_COMMENT_LENGTH) + ' characters or fewer' });
  }
  updateFormErrors($form, $form.querySelector('#ca-fb-summary'), errors);
  if (errors.length > 0) {
    return;
  }
  const payload = { rating: $checked.value };
  if (comment) {
    payload.comment = comment;
  }
  if (!sendEvent('feedback', payload)) {
    updateFormErrors($form, $form.querySelector('#ca-fb-summary'), [{ id: 'ca-fb-comment', message: 'You are not connected, so your feedback was not sent. Try again when the chat has reconnected' }]);
    return;
  }
  // The gateway thanks the resident with a system message.
  updatePanel(null);
}

/**
 * Handles "Skip" on the feedback form.
 */
function handleFeedbackSkip() {
  updatePanel(null);
}
