import { render } from 'preact';
import { OptionsApp } from '@/components/options/OptionsApp';
import { browserOptionsPorts } from '@/components/options/ports';
import '@/components/theme.css';
import '@/components/options/options.css';

render(<OptionsApp ports={browserOptionsPorts()} />, document.getElementById('app')!);
