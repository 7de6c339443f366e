/** The application menu: small, with the standard roles doing the work. */
import { Menu, app, type MenuItemConstructorOptions } from 'electron'

export interface MenuActions {
  openFolder(): Promise<unknown>
  isDev: boolean
}

export function installMenu({ openFolder, isDev }: MenuActions): void {
  const isMac = process.platform === 'darwin'
  app.setAboutPanelOptions({
    applicationName: 'Ganvas',
    applicationVersion: app.getVersion(),
    copyright: 'MIT licence',
    website: 'https://ganvas.app',
  })

  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' } as const] : []),
    {
      label: 'File',
      submenu: [
        {
          label: 'Open Folder…',
          accelerator: 'CmdOrCtrl+O',
          click: () => void openFolder().catch((e: unknown) => console.error('[menu] Open Folder failed:', e)),
        },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        // Reload and devtools only while developing: a packaged studio has nothing to debug there.
        ...(isDev ? ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const) : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      role: 'help',
      submenu: [{ label: 'About Ganvas', click: () => app.showAboutPanel() }],
    },
  ]
  Menu.setApplicationMenu(Menu.buildFromTemplate(template))
}
