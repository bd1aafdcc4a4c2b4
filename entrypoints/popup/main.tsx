import { render } from 'preact';
import { browser } from 'wxt/browser';
import { PopupApp } from '@/components/popup/PopupApp';
import { usePopupModel } from '@/components/usePopupModel';
import '@/components/theme.css';
import '@/components/popup/popup.css';

function Root() {
  const model = usePopupModel();
  return <PopupApp model={model} onOptions={() => void browser.runtime.openOptionsPage()} />;
}

render(<Root />, document.getElementById('app')!);
