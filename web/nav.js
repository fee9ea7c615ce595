// nav.js — the application's pages, one row each, in menu order.
//
// A row is {path, label, icon, view}: the menu shows label and icon, and the
// router sends '#<path>' and '#<path>/…' to the render() of the module that
// view() loads (see router.js). Adding a feature is adding its row here.
export const NAV = [
  { path: '/units', label: '组织体系', icon: 'icons/units.svg', view: () => import('./views/units.js') },
];
