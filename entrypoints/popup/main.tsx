import { render } from 'preact';
import { browser } from 'wxt/browser';
import { PopupApp } from '@/components/popup/PopupApp';
import { usePopupModel } from '@/components/usePopupModel';
import { useMarginCards } from '@/components/useMarginCards';
import '@/components/theme.css';
import '@/components/popup/popup.css';

function Root() {
  const model = usePopupModel();
  const margin = useMarginCards();
  return <PopupApp model={model} margin={margin} onOptions={() => void browser.runtime.openOptionsPage()} />;
}

render(<Root />, document.getElementById('app')!);
