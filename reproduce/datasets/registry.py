"""Registry of the data sets the reproduction engine can use.

Each entry records where the data come from, how they are cited and licensed, how many images the
published version has, and the checksum of the file read here. For the MedMNIST files the
official MD5 (from the ``medmnist`` package's ``INFO`` table, version 3.0.2) is recorded as well,
so a user who downloads the official file from Zenodo passes the check; where the copy used in
this project differs from the official file the entry says why.

Folders of images (BUSI, brain MRI, a user's own data set) are checksummed by a *manifest hash*:
the sha256 of the text made of one line ``<relpath>\\t<sha256 of the file>\\n`` per image file,
sorted by relative path (POSIX separators). The CIFAR-10 zip is checksummed as one file.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from review.errors import DatasetError, MissingPathError

#: Task vocabulary of :class:`DatasetSpec`.
TASKS = ("binary", "multiclass")


@dataclass(frozen=True)
class FileSpec:
    """One file (or folder) a data set is read from.

    Parameters
    ----------
    relpath : str
        Path relative to ``TLREVIEW_DATA_DIR`` (a file, or a folder for folder data sets).
    sha256 : str
        sha256 of the copy used in this project (of the file, or the manifest hash of a folder).
    official_md5 : str
        The official MD5 published by the data set's distributor ("" when none is published).
    note : str
        Why the copy here differs from the official one, if it does.
    """

    relpath: str
    sha256: str
    official_md5: str = ""
    note: str = ""


@dataclass(frozen=True)
class DatasetSpec:
    """A registered data set.

    Parameters
    ----------
    name : str
        Registry key (``"breastmnist"``) or ``"folder:PATH"`` for a user folder.
    title : str
        Human-readable title.
    modality, region : str
        Imaging modality and body region (vocabulary of the study table where possible).
    classes : tuple of str
        Class names in label order (label ``i`` is ``classes[i]``).
    task : {"binary", "multiclass"}
        Classification task.
    native_resolution : int
        Side length in pixels of the images as stored (square).
    channels : {1, 3}
        Channels of the decoded arrays.
    official_split : bool
        Whether the distributor publishes a split (train/test or train/val/test).
    files : tuple of FileSpec
        What is read.
    expected_counts : dict
        Split -> number of images as published (``"all"`` when there is no official split).
    source_url : str
        Where a user with internet obtains the official copy.
    citation : str
        How to cite the data.
    license : str
        The data licence.
    note : str
        Caveats (differences of the copy here, label definitions, duplicates).
    local_counts : dict
        Split -> per-class counts of the copy used in this project (checked on load: a
        difference is reported as a warning, because other copies legitimately differ).
    kind : {"npz", "folder", "zip"}
        How the files are read.
    exclude : str
        Regular expression; image files whose name (not path) matches it are not read (BUSI's
        segmentation masks ``*_mask.png``, ``*_mask_1.png`` in the official release).
    """

    name: str
    title: str
    modality: str
    region: str
    classes: tuple[str, ...]
    task: str
    native_resolution: int
    channels: int
    official_split: bool
    files: tuple[FileSpec, ...]
    expected_counts: dict[str, int]
    source_url: str
    citation: str
    license: str
    note: str = ""
    local_counts: dict[str, tuple[int, ...]] = field(default_factory=dict)
    kind: str = "npz"
    exclude: str = ""

    @property
    def n_classes(self) -> int:
        """Number of classes."""
        return len(self.classes)


_MEDMNIST_CITE = (
    "Yang J, Shi R, Wei D, et al. MedMNIST v2 - A large-scale lightweight benchmark for 2D and "
    "3D biomedical image classification. Scientific Data 10, 41 (2023). "
    "doi:10.1038/s41597-022-01721-8"
)
_ZENODO = "https://zenodo.org/records/10519652/files/{name}.npz?download=1"

REGISTRY: dict[str, DatasetSpec] = {}


def _register(spec: DatasetSpec) -> None:
    REGISTRY[spec.name] = spec


_register(
    DatasetSpec(
        name="pneumoniamnist",
        title="PneumoniaMNIST (paediatric chest X-ray, 28 px)",
        modality="x-ray",
        region="chest",
        classes=("normal", "pneumonia"),
        task="binary",
        native_resolution=28,
        channels=1,
        official_split=True,
        files=(
            FileSpec(
                relpath="medmnist/pneumoniamnist.npz",
                sha256="20568c3c8f7ddebe016ab049006f1eb241ab4249e8eff13c3a5d09d11900d8b0",
                official_md5="28209eda62fecd6e6a2d98b1501bb15f",
                note=(
                    "The copy used here was rebuilt from two public partial copies of the "
                    "official file: split and class counts equal the official ones and labels "
                    "agree on all overlapping images, but the image order differs, so the "
                    "official MD5 does not match. Either checksum is accepted."
                ),
            ),
        ),
        expected_counts={"train": 4708, "val": 524, "test": 624},
        local_counts={"train": (1214, 3494), "val": (135, 389), "test": (234, 390)},
        source_url=_ZENODO.format(name="pneumoniamnist"),
        citation=(
            _MEDMNIST_CITE + "; Kermany DS, Goldbaum M, Cai W, et al. Identifying medical "
            "diagnoses and treatable diseases by image-based deep learning. Cell 172(5):1122-1131 "
            "(2018). doi:10.1016/j.cell.2018.02.010"
        ),
        license="CC BY 4.0",
        note="MedMNIST v2 official split (train/val/test).",
    )
)

_register(
    DatasetSpec(
        name="breastmnist",
        title="BreastMNIST (breast ultrasound, 28 px)",
        modality="ultrasound",
        region="breast",
        classes=("malignant", "normal, benign"),
        task="binary",
        native_resolution=28,
        channels=1,
        official_split=True,
        files=(
            FileSpec(
                relpath="medmnist/breastmnist.npz",
                sha256="5e68d79723fb3a63a399b0a66b66451799fc2eb3651f469cec0b679cfd743b68",
                official_md5="750601b1f35ba3300ea97c75c52ff8f6",
                note=(
                    "The copy used here was re-saved: labels have shape (N,) instead of the "
                    "official (N, 1) (MD5 098de56cd2d92ef2f7170e6153c02849), counts equal the "
                    "official ones. Either checksum is accepted; both label shapes are read."
                ),
            ),
        ),
        expected_counts={"train": 546, "val": 78, "test": 156},
        local_counts={"train": (147, 399), "val": (21, 57), "test": (42, 114)},
        source_url=_ZENODO.format(name="breastmnist"),
        citation=(
            _MEDMNIST_CITE + "; Al-Dhabyani W, Gomaa M, Khaled H, Fahmy A. Dataset of breast "
            "ultrasound images. Data in Brief 28:104863 (2020). doi:10.1016/j.dib.2019.104863"
        ),
        license="CC BY 4.0",
        note="MedMNIST v2 official split; label 0 = malignant, 1 = normal or benign (from BUSI).",
    )
)

_register(
    DatasetSpec(
        name="retinamnist",
        title="RetinaMNIST (fundus photographs, 5 diabetic retinopathy grades, 28 px)",
        modality="fundus photography",
        region="eye",
        classes=("0", "1", "2", "3", "4"),
        task="multiclass",
        native_resolution=28,
        channels=3,
        official_split=True,
        files=(
            FileSpec(
                relpath="medmnist/retinamnist.npz",
                sha256="254915f5f0a2074665c4676356824cf4ef4a3bcab233894b4bafcaf48962bd69",
                official_md5="bd4c0672f1bba3e3a89f0e4e876791e4",
                note="The official file (its MD5 equals MedMNIST's published MD5).",
            ),
        ),
        expected_counts={"train": 1080, "val": 120, "test": 400},
        local_counts={},
        source_url=_ZENODO.format(name="retinamnist"),
        citation=(
            _MEDMNIST_CITE + "; Liu R, Wang X, Wu Q, et al. DeepDRiD: Diabetic Retinopathy - "
            "Grading and Image Quality Estimation Challenge. Patterns 3(6):100512 (2022). "
            "doi:10.1016/j.patter.2022.100512"
        ),
        license="CC BY 4.0",
        note=(
            "MedMNIST v2 official split. MedMNIST defines the task as ordinal regression; it is "
            "treated here as 5-class classification (AUC macro one-vs-rest)."
        ),
    )
)

_register(
    DatasetSpec(
        name="busi",
        title="BUSI breast ultrasound images (3 classes, 256 px)",
        modality="ultrasound",
        region="breast",
        classes=("benign", "malignant", "normal"),
        task="multiclass",
        native_resolution=256,
        channels=1,
        official_split=False,
        files=(
            FileSpec(
                relpath="busi",
                sha256="",  # filled in below from the measured manifest hash
                note=(
                    "A third party's copy resized to 256 x 256 px RGB PNG without the masks; the "
                    "official release has images of varying size plus masks, so its manifest "
                    "hash differs (reported as a warning, not an error)."
                ),
            ),
        ),
        expected_counts={"all": 780},
        local_counts={"all": (437, 210, 133)},
        source_url="https://scholar.cu.edu.eg/?q=afahmy/pages/dataset",
        citation=(
            "Al-Dhabyani W, Gomaa M, Khaled H, Fahmy A. Dataset of breast ultrasound images. "
            "Data in Brief 28:104863 (2020). doi:10.1016/j.dib.2019.104863"
        ),
        license="CC BY 4.0",
        note=(
            "No official split: a stratified, seeded 70/10/20 split is written to the cache and "
            "reused. Decoded as one grey channel (ultrasound; the PNGs store grey as RGB)."
        ),
        kind="folder",
        exclude=r"_mask(_\d+)?\.png$",
    )
)

_register(
    DatasetSpec(
        name="brain_mri",
        title="Brain tumour MRI (Nickparvar; 4 classes, 224 px)",
        modality="mri",
        region="brain",
        classes=("glioma", "meningioma", "notumor", "pituitary"),
        task="multiclass",
        native_resolution=224,
        channels=1,
        official_split=True,
        files=(
            FileSpec(
                relpath="brain_mri",
                sha256="",  # filled in below from the measured manifest hash
                note=(
                    "A third party's copy resized to 224 px JPEG, with 4 training 'notumor' "
                    "images missing (5,708 instead of 5,712 training images); the official "
                    "Kaggle release has images of varying size, so its manifest hash differs "
                    "(reported as a warning, not an error)."
                ),
            ),
        ),
        expected_counts={"train": 5712, "test": 1311},
        local_counts={"train": (1321, 1339, 1591, 1457), "test": (300, 306, 405, 300)},
        source_url="https://www.kaggle.com/datasets/masoudnickparvar/brain-tumor-mri-dataset",
        citation=(
            "Nickparvar M. Brain Tumor MRI Dataset. Kaggle (2021). "
            "doi:10.34740/KAGGLE/DSV/2645886; combines Cheng J. Brain tumor dataset. figshare "
            "(2017) doi:10.6084/m9.figshare.1512427.v5, the SARTAJ data set and Br35H"
        ),
        license="figshare part CC BY 4.0; the whole treated as research use with citation",
        note=(
            "Official Training/Testing folders; a stratified, seeded validation split (10 % of "
            "Training) is carved from Training. The release contains exact duplicates (6,593 "
            "unique images among 7,019 here; 216 test images also appear in training): "
            "duplicates across splits are removed from the evaluation split and reported. "
            "Decoded as one grey channel (MRI; some JPEGs store grey as RGB)."
        ),
        kind="folder",
    )
)

_register(
    DatasetSpec(
        name="cifar10",
        title="CIFAR-10 natural images (10 classes, 32 px, JPEG re-encoding)",
        modality="natural images",
        region="none",
        classes=(
            "airplane",
            "automobile",
            "bird",
            "cat",
            "deer",
            "dog",
            "frog",
            "horse",
            "ship",
            "truck",
        ),
        task="multiclass",
        native_resolution=32,
        channels=3,
        official_split=True,
        files=(
            FileSpec(
                relpath="cifar10/cifar10-jpeg.zip",
                sha256="1f246f18ee1c4b008b72b11e5d912c2b6a325d41b34a6c0136bab1e640200198",
                note=(
                    "A third party's JPEG re-encoding of CIFAR-10 (train/<class>/NNNN.jpg, "
                    "test/<class>/NNNN.jpg): pixels differ slightly from the canonical python "
                    "pickles (https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz, MD5 "
                    "c58f30108f718f92721af3b95e74349a), which torchvision downloads."
                ),
            ),
        ),
        expected_counts={"train": 50000, "test": 10000},
        local_counts={"train": (5000,) * 10, "test": (1000,) * 10},
        source_url="https://www.cs.toronto.edu/~kriz/cifar.html",
        citation=(
            "Krizhevsky A. Learning Multiple Layers of Features from Tiny Images. Technical "
            "report, University of Toronto (2009)"
        ),
        license="no formal licence; customary research use with citation",
        note=(
            "The natural-image source domain for pretraining architectures whose ImageNet "
            "weights are not obtainable here. Official train/test; a stratified, seeded "
            "validation split (10 % of train) is carved from train."
        ),
        kind="zip",
    )
)

#: Manifest hashes of the folder copies used in this project (see the module docstring).
_FOLDER_SHA256 = {
    "busi": "c30ce0a539ac10a3098dca1a69ef65b671e7b75f299d56a4a9f10a7d6ebca4d4",
    "brain_mri": "b32d59be51a84c0e280b9784cf5f8b923b778857006f63cbfbed03af035fbf71",
}


def _with_folder_hashes() -> None:

    for name, digest in _FOLDER_SHA256.items():
        spec = REGISTRY[name]
        REGISTRY[name] = replace(spec, files=(replace(spec.files[0], sha256=digest),))


_with_folder_hashes()

#: Data sets shipped inside the repository (path relative to ``data/``), used when the file is
#: not found under ``TLREVIEW_DATA_DIR``: BreastMNIST (0.5 MB, CC BY 4.0; attribution in
#: ``data/README.md``) lets a fresh clone run the smoke profile without any download. The file is
#: the copy registered above (same sha256), so runs on it share their identity with runs on
#: ``TLREVIEW_DATA_DIR/medmnist/breastmnist.npz``.
EMBEDDED = {"breastmnist": "embedded/breastmnist.npz"}

#: Image file suffixes read from folders and zips.
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".gif", ".webp")

#: Folder names understood as official splits in a user folder (lower case).
SPLIT_FOLDER_NAMES = {
    "train": "train",
    "training": "train",
    "val": "val",
    "valid": "val",
    "validation": "val",
    "test": "test",
    "testing": "test",
}


def folder_spec(path: str | Path) -> DatasetSpec:
    """Build the spec of a user data set given as a folder of class sub-folders.

    Parameters
    ----------
    path : str or Path
        A folder holding one sub-folder per class (``PATH/<class>/<image>``), or one sub-folder
        per official split each holding class sub-folders (``PATH/train/<class>/<image>``,
        split folder names ``train|training``, ``val|valid|validation``, ``test|testing``).

    Returns
    -------
    DatasetSpec
        ``name`` is ``"folder:<absolute path>"``; classes are the sorted sub-folder names;
        ``native_resolution`` and ``channels`` are 0 until the images are decoded (the loader
        decides them: the common square size, else 224; one channel if every image is grey).

    Raises
    ------
    review.errors.MissingPathError
        If the folder does not exist.
    DatasetError
        If it has fewer than two class sub-folders, or mixes split and class folders.
    """

    root = Path(path).expanduser().resolve()
    if not root.is_dir():
        raise MissingPathError(
            f"folder data set {root}: no such folder; expected PATH/<class>/<image> or "
            "PATH/<split>/<class>/<image>"
        )
    subdirs = sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    split_dirs = [d for d in subdirs if d.lower() in SPLIT_FOLDER_NAMES]
    if split_dirs and len(split_dirs) != len(subdirs):
        raise DatasetError(
            f"folder data set {root}: mixes split folders {split_dirs} with other folders "
            f"{sorted(set(subdirs) - set(split_dirs))}; use either PATH/<class>/ or "
            "PATH/<split>/<class>/"
        )
    if split_dirs:
        classes = sorted(
            {
                p.name
                for d in split_dirs
                for p in (root / d).iterdir()
                if p.is_dir() and not p.name.startswith(".")
            }
        )
    else:
        classes = subdirs
    if len(classes) < 2:
        raise DatasetError(
            f"folder data set {root}: found {len(classes)} class sub-folder(s) {classes}; "
            "expected at least 2 (PATH/<class>/<image>)"
        )
    splits = sorted({SPLIT_FOLDER_NAMES[d.lower()] for d in split_dirs})
    if split_dirs and "train" not in splits:
        raise DatasetError(
            f"folder data set {root}: split folders {split_dirs} have no training split "
            "(train/ or training/)"
        )
    return DatasetSpec(
        name=f"folder:{root}",
        title=f"User folder {root.name}",
        modality="unknown",
        region="unknown",
        classes=tuple(classes),
        task="binary" if len(classes) == 2 else "multiclass",
        native_resolution=0,
        channels=0,
        official_split=bool(split_dirs),
        files=(FileSpec(relpath=str(root), sha256="", note="user data; checksum measured"),),
        expected_counts={},
        source_url="",
        citation="",
        license="unknown (the user's data)",
        note=f"official split folders: {split_dirs}" if split_dirs else "no split folders",
        kind="folder",
    )


def get_spec(name: str) -> DatasetSpec:
    """Return the spec of a registered data set or of ``folder:PATH``.

    Parameters
    ----------
    name : str
        A key of :data:`REGISTRY` or ``"folder:PATH"``.

    Returns
    -------
    DatasetSpec

    Raises
    ------
    DatasetError
        If the name is not registered (the message lists the registered names).
    """
    if name.startswith("folder:"):
        return folder_spec(name[len("folder:") :])
    try:
        return REGISTRY[name]
    except KeyError:
        raise DatasetError(
            f"unknown data set {name!r}; registered: {', '.join(sorted(REGISTRY))}, "
            "or folder:PATH for a folder of class sub-folders"
        ) from None
