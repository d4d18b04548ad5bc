import './app/no-eval.ts';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html lacks the #root element');
createRoot(container).render(<App />);
