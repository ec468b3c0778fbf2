"""Kernel filters a worker applies to itself: a seccomp syscall filter and a Landlock ruleset."""

from __future__ import annotations

import ctypes
import os
import platform
import stat
import struct
from collections.abc import Iterable

from grader.isolation import kernel

__all__ = ["install_seccomp", "landlock_abi", "restrict_paths"]

# --- seccomp ------------------------------------------------------------------------------

_LD_ABS, _JEQ, _JGE, _JSET, _RET = 0x20, 0x15, 0x35, 0x45, 0x06
_RET_KILL, _RET_ALLOW, _RET_ERRNO = 0x80000000, 0x7FFF0000, 0x00050000
_EPERM, _ENOSYS = 1, 38
_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
_NAMESPACE_FLAGS = (kernel.CLONE_NEWNS | kernel.CLONE_NEWUTS | kernel.CLONE_NEWIPC
                    | kernel.CLONE_NEWUSER | kernel.CLONE_NEWPID | kernel.CLONE_NEWNET | 0x02000000)

# Reading or steering another process, new namespaces and mounts, kernel-wide state, and
# the kernel's largest attack surfaces: none of it has a place in a maths exercise.
_DENIED = (
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "process_madvise",
    "pidfd_send_signal", "pidfd_getfd", "keyctl", "add_key", "request_key", "bpf",
    "perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register",
    "unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "open_tree", "move_mount",
    "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr", "init_module", "finit_module",
    "delete_module", "kexec_load", "kexec_file_load", "reboot", "swapon", "swapoff", "acct",
    "quotactl", "syslog", "iopl", "ioperm", "open_by_handle_at",
)
# Signals may go to the worker itself or its own process group (pid argument 0) only.
_SIGNALLING = ("kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo")


def install_seccomp() -> bool:
    """Install the filter on this process and its future children; False if unsupported."""
    numbers, arch = kernel.syscall_numbers(), _ARCH.get(platform.machine())
    if numbers is None or arch is None:
        return False
    program = _program(numbers, arch, os.getpid())
    buffer = b"".join(struct.pack("=HBBI", *ins) for ins in program)
    filters = ctypes.create_string_buffer(buffer, len(buffer))
    # struct sock_fprog {unsigned short len; struct sock_filter *filter;}, natively aligned;
    # both buffers must stay referenced until prctl returns.
    fprog = ctypes.create_string_buffer(struct.pack("@HP", len(program), ctypes.addressof(filters)))
    kernel.prctl(kernel.PR_SET_NO_NEW_PRIVS, 1)
    try:
        kernel.prctl(kernel.PR_SET_SECCOMP, 2, ctypes.addressof(fprog))
    except OSError:
        return False
    return True


def _program(numbers: dict[str, int], arch: int, pid: int) -> list[tuple[int, int, int, int]]:
    """The BPF program, assembled with symbolic jump targets resolved to relative offsets."""
    code: list[tuple[int, str | int, str | int, int]] = [
        (_LD_ABS, 0, 0, 4),  # seccomp_data.arch
        (_JEQ, 0, "kill", arch),
        (_LD_ABS, 0, 0, 0),  # seccomp_data.nr
    ]
    if platform.machine() == "x86_64":
        code.append((_JGE, "kill", 0, 0x40000000))  # the x32 ABI's syscall numbers
    code += [(_JEQ, "deny", 0, numbers[name]) for name in _DENIED]
    code += [(_JEQ, "signal", 0, numbers[name]) for name in _SIGNALLING]
    code.append((_JEQ, "clone", 0, numbers["clone"]))
    # glibc falls back to clone() when clone3 is missing; clone3's flags cannot be inspected.
    code.append((_JEQ, "nosys", 0, numbers["clone3"]))
    labels: dict[str, int] = {}
    # Classic BPF jumps forward only: every target lies after every jump to it.
    tail: list[tuple[str | None, tuple[int, str | int, str | int, int]]] = [
        (None, (_RET, 0, 0, _RET_ALLOW)),  # any other syscall
        ("signal", (_LD_ABS, 0, 0, 16)),  # low word of the first argument (little-endian)
        (None, (_JEQ, "allow", 0, 0)),
        (None, (_JEQ, "allow", "deny", pid)),
        ("clone", (_LD_ABS, 0, 0, 16)),
        (None, (_JSET, "deny", "allow", _NAMESPACE_FLAGS)),
        ("allow", (_RET, 0, 0, _RET_ALLOW)),
        ("deny", (_RET, 0, 0, _RET_ERRNO | _EPERM)),
        ("nosys", (_RET, 0, 0, _RET_ERRNO | _ENOSYS)),
        ("kill", (_RET, 0, 0, _RET_KILL)),
    ]
    for label, ins in tail:
        if label:
            labels[label] = len(code)
        code.append(ins)

    def offset(target: str | int, index: int) -> int:
        return target if isinstance(target, int) else labels[target] - index - 1

    return [(op, offset(jt, i), offset(jf, i), k) for i, (op, jt, jf, k) in enumerate(code)]


# --- Landlock -----------------------------------------------------------------------------

_FS_EXECUTE, _FS_WRITE_FILE, _FS_READ_FILE, _FS_READ_DIR = 1, 2, 4, 8
_FS_TRUNCATE, _FS_IOCTL_DEV = 1 << 14, 1 << 15
_FILE_RIGHTS = _FS_EXECUTE | _FS_WRITE_FILE | _FS_READ_FILE | _FS_TRUNCATE | _FS_IOCTL_DEV


def landlock_abi() -> int:
    """The Landlock ABI version this kernel offers; 0 when Landlock is unavailable."""
    try:
        return kernel.syscall("landlock_create_ruleset", None, ctypes.c_size_t(0),
                              ctypes.c_uint32(1))
    except OSError:
        return 0


def _handled_fs(abi: int) -> int:
    rights = (1 << 13) - 1  # ABI 1: execute … make_sym
    if abi >= 2:
        rights |= 1 << 13  # refer
    if abi >= 3:
        rights |= _FS_TRUNCATE
    if abi >= 5:
        rights |= _FS_IOCTL_DEV
    return rights


def restrict_paths(read: Iterable[str], write: Iterable[str], devices: Iterable[str]) -> bool:
    """Allow reading only `read`, writing only beneath `write` and using `devices`; deny the
    rest of the file system, TCP, abstract sockets and signals to processes outside.
    False when Landlock is unavailable."""
    abi = landlock_abi()
    if abi <= 0:
        return False
    handled = _handled_fs(abi)
    attr = struct.pack("=Q", handled)
    if abi >= 4:
        attr += struct.pack("=Q", 0b11)  # bind and connect TCP: none allowed
    if abi >= 6:
        attr += struct.pack("=Q", 0b11)  # abstract unix sockets and signals: own domain only
    ruleset = kernel.syscall("landlock_create_ruleset", attr, ctypes.c_size_t(len(attr)),
                             ctypes.c_uint32(0))
    try:
        reading = _FS_EXECUTE | _FS_READ_FILE | _FS_READ_DIR
        for path in read:
            _allow(ruleset, path, reading, handled)
        for path in write:
            _allow(ruleset, path, handled, handled)
        for path in devices:
            _allow(ruleset, path, _FS_READ_FILE | _FS_WRITE_FILE | _FS_IOCTL_DEV, handled)
        kernel.prctl(kernel.PR_SET_NO_NEW_PRIVS, 1)
        kernel.syscall("landlock_restrict_self", ctypes.c_int(ruleset), ctypes.c_uint32(0))
    finally:
        os.close(ruleset)
    return True


def _allow(ruleset: int, path: str, rights: int, handled: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return  # a path this machine lacks needs no rule
    try:
        if not stat.S_ISDIR(os.fstat(fd).st_mode):
            rights &= _FILE_RIGHTS  # directory rights on a file are an error
        rule = struct.pack("=Qi", rights & handled, fd)
        kernel.syscall("landlock_add_rule", ctypes.c_int(ruleset), ctypes.c_int(1), rule,
                       ctypes.c_uint32(0))
    finally:
        os.close(fd)
