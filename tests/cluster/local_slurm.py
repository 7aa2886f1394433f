"""A real one-node Slurm cluster on localhost for the tests (Debian's slurmctld, slurmd, munge).

:func:`start_cluster` installs the packages with ``apt-get`` when they are missing, writes a
``slurm.conf`` and ``cgroup.conf`` for one node (this machine, at most 2 CPUs, no GPU, partition
``debug``, ``proctrack/linuxproc``, no accounting) into a private folder, creates a munge key
and starts ``munged``, ``slurmctld`` and ``slurmd`` as root on free ports, with their own
sockets, state and logs, so it never touches a system Slurm or another test's cluster. It waits
until ``sinfo`` shows the node idle. Every failure raises :class:`SlurmUnavailable` with the
reason and the tail of the daemons' logs (the fixture turns it into a visible skip).
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

#: Debian packages of the cluster (slurm-client, with sinfo/sbatch/squeue, is a dependency).
PACKAGES: tuple[str, ...] = ("slurmctld", "slurmd", "munge")
#: Executables that must be present afterwards.
BINARIES: tuple[str, ...] = ("munged", "slurmctld", "slurmd", "sinfo", "sbatch", "squeue")


class SlurmUnavailable(RuntimeError):
    """Slurm cannot be started here; the message says why."""


@dataclass
class LocalSlurm:
    """A running one-node cluster (see :func:`start_cluster`)."""

    root: Path
    conf: Path
    node: str
    pids: dict[str, Path] = field(default_factory=dict)
    started_s: float = 0.0

    @property
    def env(self) -> dict[str, str]:
        """Environment of a Slurm client of this cluster."""
        return {**os.environ, "SLURM_CONF": str(self.conf)}

    def cmd(self, *args: str, check: bool = True) -> str:
        """Run a Slurm client command against this cluster; return its standard output."""
        out = subprocess.run(
            list(args), env=self.env, capture_output=True, text=True, timeout=60, check=False
        )
        if check and out.returncode != 0:
            raise RuntimeError(f"{' '.join(args)}: exit {out.returncode}: {out.stderr.strip()}")
        return out.stdout

    def queue(self) -> list[str]:
        """Ids of the jobs (array tasks one per line) still pending or running."""
        out = self.cmd("squeue", "-h", "-r", "-o", "%i", check=False)
        return [line.strip() for line in out.splitlines() if line.strip()]

    def log_tail(self, lines: int = 15) -> str:
        """The last lines of every daemon log."""
        parts = []
        for log in sorted((self.root / "log").glob("*.log")):
            text = log.read_text(errors="replace").splitlines()[-lines:]
            parts.append(f"--- {log.name}\n" + "\n".join(text))
        return "\n".join(parts)

    def stop(self) -> None:
        """Cancel every job, then stop slurmd, slurmctld and munged (TERM, then KILL)."""
        try:
            if self.queue():
                self.cmd("scancel", "--full", *self.queue(), check=False)
                deadline = time.monotonic() + 30
                while self.queue() and time.monotonic() < deadline:
                    time.sleep(0.5)
        except (OSError, subprocess.SubprocessError):
            pass
        pids = []
        for name in ("slurmd", "slurmctld", "munged"):
            pidfile = self.pids.get(name)
            try:
                pids.append(int(pidfile.read_text().strip()))  # type: ignore[union-attr]
            except (AttributeError, OSError, ValueError):
                continue
        _terminate(pids)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _terminate(pids: list[int], wait_s: float = 10.0) -> None:
    """SIGTERM to every daemon at once, SIGKILL to those still alive after ``wait_s``."""
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + wait_s
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _which(name: str) -> str | None:
    """``name`` on ``PATH``, or in the system folders (daemons live in /usr/sbin)."""
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin:/usr/bin:/bin")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tail(text: str, n: int = 12) -> str:
    return "\n".join(text.strip().splitlines()[-n:])


def ensure_installed(timeout_s: float = 900) -> float:
    """Install :data:`PACKAGES` with apt-get when a binary is missing; return the seconds spent.

    Raises
    ------
    SlurmUnavailable
        Not root, no apt-get, or the installation failed (with apt's last lines).
    """
    if all(_which(b) for b in BINARIES):
        return 0.0
    if os.geteuid() != 0:
        raise SlurmUnavailable(
            f"Slurm is not installed ({', '.join(b for b in BINARIES if not _which(b))} "
            "missing) and installing it needs root"
        )
    if not shutil.which("apt-get"):
        raise SlurmUnavailable("Slurm is not installed and there is no apt-get to install it")
    t0 = time.monotonic()
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "--no-install-recommends", *PACKAGES]
    out = subprocess.run(install, env=env, capture_output=True, text=True, timeout=timeout_s)
    if out.returncode != 0:  # a fresh machine has no package lists yet
        subprocess.run(
            ["apt-get", "update"], env=env, capture_output=True, text=True, timeout=timeout_s
        )
        out = subprocess.run(install, env=env, capture_output=True, text=True, timeout=timeout_s)
    if out.returncode != 0 or not all(_which(b) for b in BINARIES):
        raise SlurmUnavailable(
            f"apt-get install {' '.join(PACKAGES)} failed (exit {out.returncode}):\n"
            + _tail(out.stdout + out.stderr)
        )
    return time.monotonic() - t0


def _config(root: Path, node: str, cpus: int, ctld_port: int, slurmd_port: int) -> str:
    return f"""# One-node test cluster written by tests/cluster/local_slurm.py
ClusterName=tlreviewtest
SlurmctldHost={node}(127.0.0.1)
SlurmctldPort={ctld_port}
SlurmdPort={slurmd_port}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={root}/munge/munge.socket
StateSaveLocation={root}/state
SlurmdSpoolDir={root}/spool
SlurmctldPidFile={root}/slurmctld.pid
SlurmdPidFile={root}/slurmd.pid
SlurmctldLogFile={root}/log/slurmctld.log
SlurmdLogFile={root}/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=2
NodeName={node} NodeAddr=127.0.0.1 CPUs={cpus} RealMemory=1024 State=UNKNOWN
PartitionName=debug Nodes={node} Default=YES MaxTime=INFINITE State=UP
"""


def start_cluster(root: Path, *, cpus: int = 2, wait_s: float = 60.0) -> LocalSlurm:
    """Install (if needed) and start a one-node cluster whose files live under ``root``.

    Parameters
    ----------
    root
        Empty private folder (configuration, munge key and socket, state, spool, logs).
    cpus
        CPUs of the node (at most this machine's).
    wait_s
        How long to wait for the node to become idle.

    Returns
    -------
    LocalSlurm
        The running cluster; call :meth:`LocalSlurm.stop`.

    Raises
    ------
    SlurmUnavailable
        With the reason and the daemons' log tails.
    """
    t0 = time.monotonic()
    if os.geteuid() != 0:
        raise SlurmUnavailable("starting munged, slurmctld and slurmd needs root")
    ensure_installed()
    root = Path(root).resolve()
    for sub in ("state", "spool", "log", "munge"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    (root / "munge").chmod(0o700)
    key = root / "munge" / "munge.key"
    key.write_bytes(secrets.token_bytes(1024))
    key.chmod(0o400)
    node = socket.gethostname().split(".")[0]
    conf = root / "slurm.conf"
    conf.write_text(
        _config(root, node, max(1, min(cpus, os.cpu_count() or 1)), _free_port(), _free_port())
    )
    # Written as the issue asks; unused by proctrack/linuxproc + task/none (no cgroup needed).
    (root / "cgroup.conf").write_text("CgroupPlugin=autodetect\nIgnoreSystemd=yes\n")
    cluster = LocalSlurm(
        root=root,
        conf=conf,
        node=node,
        pids={
            "munged": root / "munge" / "munged.pid",
            "slurmctld": root / "slurmctld.pid",
            "slurmd": root / "slurmd.pid",
        },
    )
    env = cluster.env
    steps = [
        (
            "munged",
            [
                str(_which("munged")),
                "--force",
                f"--socket={root}/munge/munge.socket",
                f"--key-file={key}",
                f"--pid-file={root}/munge/munged.pid",
                f"--log-file={root}/log/munged.log",
                f"--seed-file={root}/munge/munged.seed",
            ],
        ),
        ("slurmctld", [str(_which("slurmctld")), "-c"]),
        ("slurmd", [str(_which("slurmd")), "-N", node]),
    ]
    for name, argv in steps:
        out = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
        if out.returncode != 0:
            cluster.stop()
            raise SlurmUnavailable(
                f"{name} did not start (exit {out.returncode}): "
                f"{_tail(out.stderr + out.stdout, 5)}\n{cluster.log_tail()}"
            )
    deadline = time.monotonic() + wait_s
    state = ""
    while time.monotonic() < deadline:
        state = cluster.cmd("sinfo", "-h", "-N", "-o", "%T", check=False).strip()
        if state == "idle":
            cluster.started_s = time.monotonic() - t0
            return cluster
        time.sleep(0.5)
    cluster.stop()
    raise SlurmUnavailable(
        f"the node did not become idle within {wait_s:.0f} s (sinfo: {state or 'no answer'})\n"
        + cluster.log_tail()
    )
