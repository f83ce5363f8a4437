import type { ReactNode } from 'react';

/** Stroke icons (24-unit grid), decorative: the control that holds one carries the label. */
function Icon({ children, size = 16 }: { children: ReactNode; size?: number }) {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

export const IconCluster = () => (
  <Icon>
    <circle cx="12" cy="5" r="2.5" />
    <circle cx="5" cy="18" r="2.5" />
    <circle cx="19" cy="18" r="2.5" />
    <path d="M10.8 7.2 6.2 15.8M13.2 7.2l4.6 8.6M7.5 18h9" />
  </Icon>
);
export const IconDevices = () => (
  <Icon>
    <rect x="6" y="6" width="12" height="12" rx="2" />
    <path d="M9 2v4M15 2v4M9 18v4M15 18v4M2 9h4M2 15h4M18 9h4M18 15h4" />
  </Icon>
);
export const IconPanels = () => (
  <Icon>
    <rect x="3" y="4" width="8" height="16" rx="1.5" />
    <rect x="13" y="4" width="8" height="16" rx="1.5" />
    <circle cx="7" cy="9" r="1" />
    <circle cx="17" cy="9" r="1" />
  </Icon>
);
export const IconClients = () => (
  <Icon>
    <circle cx="9" cy="8" r="3.5" />
    <path d="M2.5 20c.8-3.5 3.4-5.5 6.5-5.5s5.7 2 6.5 5.5M16 4.5a3.5 3.5 0 0 1 0 7M18 14.8c2 .7 3.2 2.5 3.6 5.2" />
  </Icon>
);
export const IconSun = () => (
  <Icon>
    <circle cx="12" cy="12" r="4" />
    <path d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4" />
  </Icon>
);
export const IconMoon = () => (
  <Icon>
    <path d="M20 14.5A8 8 0 1 1 9.5 4a6.5 6.5 0 0 0 10.5 10.5z" />
  </Icon>
);
export const IconClose = () => (
  <Icon size={14}>
    <path d="M6 6l12 12M18 6 6 18" />
  </Icon>
);
export const IconPlus = () => (
  <Icon size={14}>
    <path d="M12 5v14M5 12h14" />
  </Icon>
);
export const IconPlay = () => (
  <Icon size={14}>
    <path d="M7 5v14l11-7z" />
  </Icon>
);
export const IconStop = () => (
  <Icon size={14}>
    <rect x="6" y="6" width="12" height="12" rx="1" />
  </Icon>
);
export const IconKill = () => (
  <Icon size={14}>
    <path d="M13 2 4 14h7l-1 8 9-12h-7z" />
  </Icon>
);
export const IconRestart = () => (
  <Icon size={14}>
    <path d="M3 12a9 9 0 1 0 3-6.7M3 4v5h5" />
  </Icon>
);
export const IconCut = () => (
  <Icon size={14}>
    <circle cx="6" cy="6" r="3" />
    <circle cx="6" cy="18" r="3" />
    <path d="M8.1 8.1 20 20M8.1 15.9 20 4" />
  </Icon>
);
export const IconLink = () => (
  <Icon size={14}>
    <path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1" />
  </Icon>
);
export const IconTrash = () => (
  <Icon size={14}>
    <path d="M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13" />
  </Icon>
);
export const IconRefresh = () => (
  <Icon size={14}>
    <path d="M21 12a9 9 0 1 1-2.6-6.4M21 3v6h-6" />
  </Icon>
);
export const IconAlert = () => (
  <Icon>
    <path d="M12 3 2 20h20z" />
    <path d="M12 10v4M12 17.5v.01" />
  </Icon>
);
export const IconUnplug = () => (
  <Icon size={14}>
    <path d="M9 7V3M15 7V3M6 7h12v4a6 6 0 0 1-12 0zM12 17v4" />
  </Icon>
);
export const IconLoad = () => (
  <Icon>
    <path d="M3 12h3l3-8 4 16 3-8h5" />
  </Icon>
);
export const IconInspector = () => (
  <Icon>
    <path d="M4 6h16M4 12h10M4 18h7" />
    <circle cx="17.5" cy="16.5" r="3" />
    <path d="m19.7 18.7 2.3 2.3" />
  </Icon>
);
export const IconTopics = () => (
  <Icon>
    <path d="M9 4 7 20M17 4l-2 16M4 9h16M3 15h16" />
  </Icon>
);
export const IconPause = () => (
  <Icon size={14}>
    <path d="M8 5v14M16 5v14" />
  </Icon>
);
export const IconRecord = () => (
  <Icon size={14}>
    <circle cx="12" cy="12" r="6" />
  </Icon>
);
export const IconDownload = () => (
  <Icon size={14}>
    <path d="M12 4v11M7 10l5 5 5-5M5 20h14" />
  </Icon>
);
export const IconSend = () => (
  <Icon size={14}>
    <path d="M4 12 20 4l-5 16-3-7z" />
  </Icon>
);
export const IconDrain = () => (
  <Icon>
    <path d="M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4M16 17l5-5-5-5M21 12H9" />
  </Icon>
);
