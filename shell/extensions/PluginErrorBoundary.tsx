import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useLoadProblems } from './load-problems.ts';
import { RemoteLoadError } from './remote-loader.ts';

/** The underlying error's message, when the shown one wraps another. */
function causeOf(error: Error): string | undefined {
  return error.cause instanceof Error ? error.cause.message : undefined;
}

interface Props {
  plugin: string;
  pluginDisplayName: string;
  contribution: string;
  /** Called before "Try again" renders the contribution anew, to drop what failed. */
  onRetry?: () => void;
  /** Offered to instance admins: turns the plugin off for everyone. */
  onDisable?: () => Promise<unknown>;
  children: ReactNode;
}

interface State {
  error: Error | null;
  disabling: 'idle' | 'pending' | 'failed';
}

/** Contains a contribution's failures: a remote that fails to load or a component that throws shows a card. */
export class PluginErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, disabling: 'idle' };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    useLoadProblems.getState().report({
      plugin: this.props.plugin,
      contribution: this.props.contribution,
      code: error instanceof RemoteLoadError ? 'load-failed' : 'render-failed',
      // The plugin's own error travels as the cause: diagnostics must name it, not only where it came from.
      message: [error.message, causeOf(error)].filter(Boolean).join(' '),
    });
    console.warn(`plugin ${this.props.plugin} failed in ${this.props.contribution}`, error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="wb-plugin-error" role="alert" data-testid="plugin-error" data-plugin={this.props.plugin}>
        <strong>{this.props.pluginDisplayName} stopped working here</strong>
        <p>{error.message}</p>
        {causeOf(error) && (
          <details className="wb-error-details">
            <summary>Technical details</summary>
            <pre>{causeOf(error)}</pre>
          </details>
        )}
        <p className="wb-muted">
          The rest of the page is unaffected. Plugin: <code>{this.props.plugin}</code>, contribution{' '}
          <code>{this.props.contribution}</code>.
        </p>
        <div className="wb-plugin-error-actions">
          <button
            type="button"
            className="wb-button"
            onClick={() => {
              this.props.onRetry?.();
              this.setState({ error: null });
            }}
          >
            Try again
          </button>
          {this.props.onDisable && (
            <button
              type="button"
              className="wb-button wb-button-danger"
              disabled={this.state.disabling === 'pending'}
              onClick={() => {
                this.setState({ disabling: 'pending' });
                this.props.onDisable!().then(
                  () => this.setState({ disabling: 'idle' }),
                  () => this.setState({ disabling: 'failed' }),
                );
              }}
            >
              Disable plugin for everyone
            </button>
          )}
          {this.state.disabling === 'failed' && (
            <span className="wb-muted">Could not disable it; try the Plugins page.</span>
          )}
        </div>
      </div>
    );
  }
}
