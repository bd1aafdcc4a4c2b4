import { render } from 'preact';
import { OptionsApp } from '@/components/options/OptionsApp';
import { browserOptionsPorts } from '@/components/options/ports';
import { browserApiPorts } from '@/components/options/api-ports';
import '@/components/theme.css';
import '@/components/options/options.css';

render(<OptionsApp ports={browserOptionsPorts()} api={browserApiPorts()} />, document.getElementById('app')!);
