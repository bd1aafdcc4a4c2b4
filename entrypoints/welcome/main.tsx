import { render } from 'preact';
import { WelcomeApp } from '@/components/welcome/WelcomeApp';
import { browserWelcomePorts } from '@/components/welcome/ports';
import '@/components/theme.css';
import '@/components/welcome/welcome.css';

render(<WelcomeApp ports={browserWelcomePorts()} />, document.getElementById('app')!);
