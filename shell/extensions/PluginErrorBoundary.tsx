import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useLoadProblems } from './load-problems.ts';

interface Props {
  plugin: string;
  pluginDisplayName: string;
  contribution: string;
  children: ReactNode;
}

interface State {
  error: Error | null;
}

/** Contains a contribution's failures: a remote that fails to load or a component that throws shows a card. */
export class PluginErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    const loading = /did not load|RUNTIME-|ChunkLoadError|Loading script failed|does not export/.test(error.message);
    useLoadProblems.getState().report({
      plugin: this.props.plugin,
      contribution: this.props.contribution,
      code: loading ? 'load-failed' : 'render-failed',
      message: error.message,
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
        <p className="wb-muted">
          The rest of the page is unaffected. Plugin: <code>{this.props.plugin}</code>, contribution{' '}
          <code>{this.props.contribution}</code>.
        </p>
        <button type="button" className="wb-button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    );
  }
}
