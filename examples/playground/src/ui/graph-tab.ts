/**
 * The "graph" tab: a small Value expression typed by the user, parsed safely (see
 * expression.ts), built as a Value graph and drawn by @smolml/viz (Graphviz in WebAssembly,
 * loaded on first use so the playground itself stays light). "Forward" draws data with every
 * grad 0; "Backward" runs backward() and draws the gradients on every node.
 */
import { Value } from '@smolml/core';
import { ExpressionError, buildValue, parseExpression, variablesOf } from '../expression.js';
import { formatValue } from './format.js';

export interface GraphElements {
  expression: HTMLInputElement;
  variables: HTMLElement;
  forward: HTMLButtonElement;
  backward: HTMLButtonElement;
  status: HTMLElement;
  output: HTMLElement;
}

export class GraphTab {
  private names: string[] = [];
  private values: Record<string, number>;
  private drawing = 0;

  constructor(
    private readonly el: GraphElements,
    expression: string,
    values: Record<string, number>,
    /** Reports the expression and the variables' values whenever they change (for the URL). */
    private readonly onChange: (expression: string, values: Record<string, number>) => void,
  ) {
    this.values = { ...values };
    el.expression.value = expression;
    el.expression.addEventListener('input', () => {
      if (this.parse()) this.onChange(el.expression.value, this.current());
    });
    el.forward.addEventListener('click', () => void this.draw(false));
    el.backward.addEventListener('click', () => void this.draw(true));
    this.parse();
  }

  /** Parses the expression and rebuilds the variable inputs; false (with a message) when it does not parse. */
  private parse(): boolean {
    try {
      const names = variablesOf(parseExpression(this.el.expression.value));
      if (names.join() !== this.names.join()) this.renderVariables(names);
      this.el.expression.setCustomValidity('');
      this.setStatus('', 'ok');
      return true;
    } catch (e) {
      const message = e instanceof ExpressionError ? e.message : String(e);
      this.el.expression.setCustomValidity(message);
      this.setStatus(message, 'error');
      return false;
    }
  }

  private renderVariables(names: string[]): void {
    this.names = names;
    this.el.variables.replaceChildren(
      ...names.map((name) => {
        const label = document.createElement('label');
        label.className = 'variable';
        const input = document.createElement('input');
        input.type = 'number';
        input.step = 'any';
        input.dataset.testid = `variable-${name}`;
        input.value = String(Object.hasOwn(this.values, name) ? this.values[name] : 1);
        input.addEventListener('input', () => {
          const v = Number(input.value);
          if (input.value.trim() !== '' && Number.isFinite(v)) {
            this.values[name] = v;
            this.onChange(this.el.expression.value, this.current());
          }
        });
        label.append(`${name} =`, input);
        return label;
      }),
    );
  }

  /** The values of the variables of the current expression. */
  private current(): Record<string, number> {
    return Object.fromEntries(this.names.map((n) => [n, Object.hasOwn(this.values, n) ? this.values[n]! : 1]));
  }

  private setStatus(text: string, state: 'ok' | 'error'): void {
    this.el.status.textContent = text;
    this.el.status.dataset.state = state;
  }

  /** Builds the graph from the current inputs, optionally runs backward(), and draws it. */
  async draw(withBackward: boolean): Promise<void> {
    if (!this.parse()) return;
    const ticket = ++this.drawing;
    const out = this.el.output;
    out.dataset.state = 'drawing';
    try {
      const tree = parseExpression(this.el.expression.value);
      const leaves = Object.fromEntries(this.names.map((n) => [n, new Value(this.current()[n]!)]));
      const root = buildValue(tree, leaves);
      if (withBackward) root.backward();
      const { renderSvg } = await import('@smolml/viz');
      const svg = await renderSvg(root, { names: { ...leaves, out: root } });
      if (ticket !== this.drawing) return; // a newer drawing was asked for meanwhile
      out.innerHTML = svg.slice(svg.indexOf('<svg'));
      out.dataset.state = withBackward ? 'backward' : 'forward';
      out.dataset.output = String(root.data);
      const grads = withBackward ? ` · ${this.names.map((n) => `∂out/∂${n} = ${formatValue(leaves[n]!.grad)}`).join(' · ')}` : ' · every grad is 0 until Backward';
      this.setStatus(`out = ${formatValue(root.data)}${grads}`, 'ok');
    } catch (e) {
      if (ticket !== this.drawing) return;
      out.dataset.state = 'error';
      this.setStatus(e instanceof Error ? e.message : String(e), 'error');
    }
  }
}
