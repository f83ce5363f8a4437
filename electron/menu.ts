import type { MenuItemConstructorOptions } from 'electron';

/**
 * A small app menu: the platform's roles (quit, edit, zoom, window) and reload. Developer tools
 * only when not packaged. Nothing here opens a URL or another window.
 */
export function menuTemplate(platform: NodeJS.Platform, packaged: boolean): MenuItemConstructorOptions[] {
  const first: MenuItemConstructorOptions =
    platform === 'darwin' ? { role: 'appMenu' } : { label: 'File', submenu: [{ role: 'quit' }] };
  const view: MenuItemConstructorOptions[] = [{ role: 'reload' }];
  if (!packaged) view.push({ role: 'toggleDevTools' });
  view.push(
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  );
  return [first, { role: 'editMenu' }, { label: 'View', submenu: view }, { role: 'windowMenu' }];
}
