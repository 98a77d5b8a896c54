/** One mount of a container as the engine stores it (Docker's MountPoint in config.v2.json). */
export interface MountPointRecord {
  Type: 'bind' | 'volume' | 'tmpfs';
  /** The volume's name (volumes only). */
  Name?: string;
  /** The host path: a bind's source or the volume's data dir; empty for tmpfs. */
  Source: string;
  /** The absolute path inside the container. */
  Destination: string;
  /** `local` for volumes. */
  Driver?: string;
  /** The mode as given (`ro`, `rw,z`, ...); Docker shows `z` for a volume given none. */
  Mode: string;
  RW: boolean;
  /** `rprivate` etc. for binds, empty otherwise. */
  Propagation: string;
  /** Copy the image's content at Destination into the volume on its first use. */
  CopyData?: boolean;
  /** A tmpfs mount's fs options (`size=…,mode=…`). */
  TmpfsData?: string;
}

/** A mount as asked for, before its volume (if any) is looked up or created. */
export interface WantedMount {
  type: MountPointRecord['Type'];
  /** Host path (bind), volume name, or '' for an anonymous volume / tmpfs. */
  source: string;
  destination: string;
  rw: boolean;
  mode: string;
  propagation: string;
  copyData: boolean;
  tmpfsData?: string;
  /** `-v /missing:/x` creates the host dir, `--mount` refuses it. */
  createSource?: boolean;
  /** Labels and driver options of a volume `--mount` creates. */
  volumeLabels?: Record<string, string>;
  driverOptions?: Record<string, string>;
  /** The volume driver `--mount` names (`volume-driver=`). */
  driver?: string;
}
