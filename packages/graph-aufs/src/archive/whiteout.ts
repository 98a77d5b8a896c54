/** AUFS whiteout conventions, used in every layer tar whatever the driver. */
export const WH_PREFIX = '.wh.';
export const WH_META_PREFIX = '.wh..wh.';
export const WH_OPAQUE = '.wh..wh..opq';
/** overlayfs marks an opaque directory with this xattr set to "y". */
export const OVERLAY_OPAQUE_XATTR = 'trusted.overlay.opaque';

/**
 * How a driver stores deletions in its layer directories:
 * - `apply`: none; deleted paths are removed from a full copy (vfs);
 * - `overlay`: 0/0 character devices and the opaque xattr (overlay2, aufs over overlay);
 * - `aufs`: the `.wh.` files themselves (aufs).
 */
export type WhiteoutFormat = 'apply' | 'overlay' | 'aufs';
