export { ADDON_ABI_VERSION, addon, monitorPath, type NativeAddon } from './native.js';
export { MNT, MS, getXattr, listXattrs, mknod, mount, setXattr, unmount, type MountOptions } from './mount.js';
