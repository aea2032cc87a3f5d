/*
 * Mue's own behaviours, driven by data-mue-* attributes (no inline script: the CSP allows
 * scripts from 'self' only). Plain ES2020, no build step.
 *
 * Events are delegated to the document, so content swapped in by htmx behaves at once; what needs
 * setting up per element (Tom Select, the state of selection buttons) is applied again on
 * htmx:load, which htmx fires for the page and for every swapped-in fragment.
 *
 *   select|input[data-mue-autosubmit]      submits its form on change
 *   [data-mue-column-chooser]              any change inside submits its (GET) form
 *   select[data-mue-autocomplete="URL"]    Tom Select loading URL?q=… → {"results": [{value, text}]}
 *   input[type=checkbox][data-mue-check-all] in a table: toggles the table's name=pk boxes;
 *       [data-mue-selected-count] shows how many are checked ("{count}" in its value is replaced),
 *       [data-mue-needs-selection] buttons are disabled while none is
 *   form[data-mue-confirm="message"]       window.confirm(message) before submitting
 *   form.mue-search input[aria-controls]   Escape clears the results, arrows move through them
 */
(() => {
  "use strict";

  const CHECKBOX_PK = 'input[type="checkbox"][name="pk"]';
  const CHECK_ALL = 'input[type="checkbox"][data-mue-check-all]';

  /* ---- submitting on change -------------------------------------------------------------- */

  function submitForm(form) {
    if (!form) return;
    // requestSubmit fires "submit" (htmx and data-mue-confirm see it), unlike form.submit().
    if (typeof form.requestSubmit === "function") form.requestSubmit();
    else form.submit();
  }

  function onChange(event) {
    const target = event.target;
    if (!(target instanceof Element)) return;

    if (target.matches(CHECK_ALL)) {
      const table = target.closest("table");
      if (table) {
        table.querySelectorAll(CHECKBOX_PK).forEach((box) => {
          if (!box.disabled) box.checked = target.checked;
        });
        updateSelection(table);
      }
      return;
    }
    if (target.matches(CHECKBOX_PK)) {
      const table = target.closest("table");
      if (table) updateSelection(table);
      return;
    }
    if (target.matches("select[data-mue-autosubmit], input[data-mue-autosubmit]")) {
      submitForm(target.form || target.closest("form"));
      return;
    }
    const chooser = target.closest("[data-mue-column-chooser]");
    if (chooser && target.matches("input, select")) {
      submitForm(chooser instanceof HTMLFormElement ? chooser : target.form || chooser.closest("form"));
    }
  }

  /* ---- selecting rows -------------------------------------------------------------------- */

  /** The element holding a table's selection controls: its form, else its card, else its parent. */
  function selectionScope(table) {
    return table.closest("form") || table.closest(".card") || table.parentElement || table;
  }

  function updateSelection(table) {
    const boxes = Array.from(table.querySelectorAll(CHECKBOX_PK));
    const checked = boxes.filter((box) => box.checked).length;
    const all = table.querySelector(CHECK_ALL);
    if (all) {
      all.checked = boxes.length > 0 && checked === boxes.length;
      all.indeterminate = checked > 0 && checked < boxes.length;
    }
    const scope = selectionScope(table);
    scope.querySelectorAll("[data-mue-selected-count]").forEach((el) => {
      const template = el.getAttribute("data-mue-selected-count") || "";
      const number = checked.toLocaleString(document.documentElement.lang || undefined);
      if (checked === 0) el.textContent = "";
      else el.textContent = template.includes("{count}") ? template.replaceAll("{count}", number) : number;
    });
    scope.querySelectorAll("[data-mue-needs-selection]").forEach((button) => {
      button.disabled = checked === 0;
    });
  }

  function initSelections(root) {
    const tables = new Set();
    root.querySelectorAll(CHECK_ALL).forEach((box) => {
      const table = box.closest("table");
      if (table) tables.add(table);
    });
    if (root instanceof Element && root.matches(CHECK_ALL) && root.closest("table")) {
      tables.add(root.closest("table"));
    }
    tables.forEach(updateSelection);
  }

  /* ---- confirming ------------------------------------------------------------------------ */

  function onSubmit(event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    const message = form.getAttribute("data-mue-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      // Capture phase on the document: stops htmx's own listener on the form too.
      event.stopImmediatePropagation();
    }
  }

  /* ---- autocomplete ---------------------------------------------------------------------- */

  function initAutocomplete(select) {
    if (select.tomselect || typeof window.TomSelect !== "function") return;
    const url = select.getAttribute("data-mue-autocomplete");
    if (!url) return;

    // The server renders an empty "—" option for a single select; Tom Select shows a placeholder
    // and creates its own empty option when cleared.
    let placeholder = select.getAttribute("data-placeholder") || select.getAttribute("placeholder") || "";
    select.querySelectorAll('option[value=""]').forEach((option) => {
      if (!placeholder && option.textContent.trim() !== "—") placeholder = option.textContent.trim();
      option.remove();
    });
    const ariaLabel = select.getAttribute("aria-label");
    const describedBy = select.getAttribute("aria-describedby");
    const multiple = select.multiple;
    // The server does the matching (on more than the text shown): show what its last answer held.
    let answered = null;

    const settings = {
      valueField: "value",
      labelField: "text",
      searchField: ["text"],
      placeholder: placeholder || undefined,
      maxOptions: 50,
      loadThrottle: 250,
      preload: "focus",
      // Closing after each choice also keeps the listbox from staying open empty (axe: a listbox
      // without options, an aria-activedescendant naming a removed option).
      closeAfterSelect: true,
      plugins: multiple ? ["remove_button"] : select.required ? [] : ["clear_button"],
      shouldLoad: () => true,
      score: () => (item) => (answered === null || answered.has(String(item.value)) ? 1 : 0),
      load(query, callback) {
        const target = new URL(url, window.location.href);
        target.searchParams.set("q", query);
        fetch(target, {
          credentials: "same-origin",
          headers: { Accept: "application/json", "X-Requested-With": "XMLHttpRequest" },
        })
          .then((response) => (response.ok ? response.json() : { results: [] }))
          .then((data) => {
            const results = Array.isArray(data.results) ? data.results : [];
            answered = new Set(results.map((result) => String(result.value)));
            this.clearOptions();
            callback(results);
          })
          .catch(() => callback());
      },
    };
    adoptNames(select, new window.TomSelect(select, settings), ariaLabel, describedBy);
  }

  /** After Tom Select took over ``select``: its input carries the select's names, the select leaves the tree. */
  function adoptNames(select, control, ariaLabel, describedBy) {
    // Tom Select points <label for> at its own input; an aria-label or a description on the
    // original select has to be carried over by hand.
    const input = control.control_input;
    if (input) {
      if (ariaLabel && !input.hasAttribute("aria-labelledby")) input.setAttribute("aria-label", ariaLabel);
      if (describedBy) input.setAttribute("aria-describedby", describedBy);
    }
    // The original select stays in the page, visually hidden and out of the tab order, but still in
    // the accessibility tree, unnamed now that its label names Tom Select's input: take it out.
    select.setAttribute("aria-hidden", "true");
  }

  function initAutocompletes(root) {
    if (root instanceof Element && root.matches("select[data-mue-autocomplete]")) initAutocomplete(root);
    root.querySelectorAll("select[data-mue-autocomplete]").forEach(initAutocomplete);
  }

  /* ---- global search --------------------------------------------------------------------- */

  function searchParts(element) {
    const form = element.closest("form.mue-search");
    if (!form) return null;
    const input = form.querySelector("input[aria-controls]");
    const results = input && document.getElementById(input.getAttribute("aria-controls"));
    return input && results ? { form, input, results } : null;
  }

  function resultLinks(results) {
    return Array.from(results.querySelectorAll("a[href]"));
  }

  function clearResults(parts) {
    if (window.htmx) window.htmx.trigger(parts.input, "htmx:abort");
    parts.results.replaceChildren();
  }

  function onKeydown(event) {
    if (!(event.target instanceof Element)) return;
    const parts = searchParts(event.target);
    if (!parts) return;
    const { input, results } = parts;
    const links = resultLinks(results);

    if (event.target === input) {
      if (event.key === "Escape" && results.childElementCount > 0) {
        // First Escape closes the results; a second one lets the browser clear the field.
        event.preventDefault();
        clearResults(parts);
      } else if (event.key === "ArrowDown" && links.length > 0) {
        event.preventDefault();
        results.hidden = false;
        links[0].focus();
      }
      return;
    }
    const index = links.indexOf(event.target.closest("a"));
    if (index < 0) return;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      links[Math.min(index + 1, links.length - 1)].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (index === 0) input.focus();
      else links[index - 1].focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      clearResults(parts);
      input.focus();
    }
  }

  /** Results hide when the pointer or the focus goes elsewhere, and come back with the focus. */
  function onPointerdown(event) {
    document.querySelectorAll("form.mue-search").forEach((form) => {
      const parts = searchParts(form);
      if (parts && !form.contains(event.target)) parts.results.hidden = true;
    });
  }

  function onFocusin(event) {
    if (!(event.target instanceof Element)) return;
    const parts = searchParts(event.target);
    if (parts) parts.results.hidden = false;
  }

  function onFocusout(event) {
    if (!(event.target instanceof Element)) return;
    const parts = searchParts(event.target);
    const next = event.relatedTarget;
    if (parts && next instanceof Node && !parts.form.contains(next)) parts.results.hidden = true;
  }

  /* ---- wiring ---------------------------------------------------------------------------- */

  /** select[multiple][data-mue-enhance]: a searchable multiple select over its own options (filters). */
  function initEnhanced(root) {
    if (typeof window.TomSelect !== "function") return;
    root.querySelectorAll("select[multiple][data-mue-enhance]").forEach((select) => {
      if (select.tomselect) return;
      const ariaLabel = select.getAttribute("aria-label");
      const describedBy = select.getAttribute("aria-describedby");
      const control = new window.TomSelect(select, { plugins: ["remove_button"], maxOptions: null, hidePlaceholder: true });
      adoptNames(select, control, ariaLabel, describedBy);
    });
  }

  function init(root) {
    const scope = root && typeof root.querySelectorAll === "function" ? root : document;
    initEnhanced(scope);
    initAutocompletes(scope);
    initSelections(scope);
  }

  document.addEventListener("change", onChange);
  document.addEventListener("submit", onSubmit, true);
  document.addEventListener("keydown", onKeydown);
  document.addEventListener("pointerdown", onPointerdown);
  document.addEventListener("focusin", onFocusin);
  document.addEventListener("focusout", onFocusout);
  document.addEventListener("htmx:load", (event) => init(event.target));
  document.addEventListener("htmx:afterSwap", (event) => {
    const target = event.detail && event.detail.target;
    init(target || event.target);
    const parts = target instanceof Element ? searchParts(target) : null;
    if (parts && parts.results === target) parts.results.hidden = false;
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => init(document));
  else init(document);

  window.mue = { init };
})();
