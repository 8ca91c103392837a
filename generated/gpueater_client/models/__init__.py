"""Contains all the data models used in inputs/outputs.

Each model's module is imported when its name is first used (PEP 562), not all of them
when the package is: the SDK needs a few per call, and importing every model cost about
90 ms of each `gpueater` command (issue 25). Made from openapi/templates/models_init.py.jinja.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .attach_volume_form import AttachVolumeForm
    from .change_instance_tag_form import ChangeInstanceTagForm
    from .change_snapshot_tag_form import ChangeSnapshotTagForm
    from .create_image_form import CreateImageForm
    from .create_volume_form import CreateVolumeForm
    from .delete_image_form import DeleteImageForm
    from .delete_snapshot_form import DeleteSnapshotForm
    from .delete_ssh_key_form import DeleteSshKeyForm
    from .empty_envelope import EmptyEnvelope
    from .error_object import ErrorObject
    from .image import Image
    from .image_list_envelope import ImageListEnvelope
    from .image_map import ImageMap
    from .import_image_form import ImportImageForm
    from .instance import Instance
    from .instance_action_form import InstanceActionForm
    from .instance_envelope import InstanceEnvelope
    from .instance_id_form import InstanceIdForm
    from .instance_list_envelope import InstanceListEnvelope
    from .instance_status import InstanceStatus
    from .invoice import Invoice
    from .invoice_list_envelope import InvoiceListEnvelope
    from .launch_catalog import LaunchCatalog
    from .launch_catalog_envelope import LaunchCatalogEnvelope
    from .launch_ondemand_instance_form import LaunchOndemandInstanceForm
    from .launch_subscription_instance_form import LaunchSubscriptionInstanceForm
    from .live_migration_form import LiveMigrationForm
    from .login_form import LoginForm
    from .network_description import NetworkDescription
    from .network_description_envelope import NetworkDescriptionEnvelope
    from .plan import Plan
    from .plan_list_envelope import PlanListEnvelope
    from .port import Port
    from .port_form import PortForm
    from .port_list_envelope import PortListEnvelope
    from .product import Product
    from .register_ssh_key_form import RegisterSshKeyForm
    from .restore_from_snapshot_form import RestoreFromSnapshotForm
    from .snapshot import Snapshot
    from .snapshot_envelope import SnapshotEnvelope
    from .snapshot_instance_form import SnapshotInstanceForm
    from .snapshot_list_envelope import SnapshotListEnvelope
    from .ssh_key import SshKey
    from .ssh_key_envelope import SshKeyEnvelope
    from .ssh_key_list_envelope import SshKeyListEnvelope
    from .ssh_key_pair import SshKeyPair
    from .ssh_key_pair_envelope import SshKeyPairEnvelope
    from .storage_list import StorageList
    from .storage_list_envelope import StorageListEnvelope
    from .subscription import Subscription
    from .subscription_catalog import SubscriptionCatalog
    from .subscription_catalog_envelope import SubscriptionCatalogEnvelope
    from .subscription_envelope import SubscriptionEnvelope
    from .subscription_id_form import SubscriptionIdForm
    from .subscription_list_envelope import SubscriptionListEnvelope
    from .transaction import Transaction
    from .transaction_envelope import TransactionEnvelope
    from .transaction_id_form import TransactionIdForm
    from .transfer_volume_form import TransferVolumeForm
    from .user_image import UserImage
    from .user_image_envelope import UserImageEnvelope
    from .user_image_list_envelope import UserImageListEnvelope
    from .volume import Volume
    from .volume_envelope import VolumeEnvelope
    from .volume_id_form import VolumeIdForm

# public name -> the module of this package that defines it
_MODULES = {
    "AttachVolumeForm": ".attach_volume_form",
    "ChangeInstanceTagForm": ".change_instance_tag_form",
    "ChangeSnapshotTagForm": ".change_snapshot_tag_form",
    "CreateImageForm": ".create_image_form",
    "CreateVolumeForm": ".create_volume_form",
    "DeleteImageForm": ".delete_image_form",
    "DeleteSnapshotForm": ".delete_snapshot_form",
    "DeleteSshKeyForm": ".delete_ssh_key_form",
    "EmptyEnvelope": ".empty_envelope",
    "ErrorObject": ".error_object",
    "Image": ".image",
    "ImageListEnvelope": ".image_list_envelope",
    "ImageMap": ".image_map",
    "ImportImageForm": ".import_image_form",
    "Instance": ".instance",
    "InstanceActionForm": ".instance_action_form",
    "InstanceEnvelope": ".instance_envelope",
    "InstanceIdForm": ".instance_id_form",
    "InstanceListEnvelope": ".instance_list_envelope",
    "InstanceStatus": ".instance_status",
    "Invoice": ".invoice",
    "InvoiceListEnvelope": ".invoice_list_envelope",
    "LaunchCatalog": ".launch_catalog",
    "LaunchCatalogEnvelope": ".launch_catalog_envelope",
    "LaunchOndemandInstanceForm": ".launch_ondemand_instance_form",
    "LaunchSubscriptionInstanceForm": ".launch_subscription_instance_form",
    "LiveMigrationForm": ".live_migration_form",
    "LoginForm": ".login_form",
    "NetworkDescription": ".network_description",
    "NetworkDescriptionEnvelope": ".network_description_envelope",
    "Plan": ".plan",
    "PlanListEnvelope": ".plan_list_envelope",
    "Port": ".port",
    "PortForm": ".port_form",
    "PortListEnvelope": ".port_list_envelope",
    "Product": ".product",
    "RegisterSshKeyForm": ".register_ssh_key_form",
    "RestoreFromSnapshotForm": ".restore_from_snapshot_form",
    "Snapshot": ".snapshot",
    "SnapshotEnvelope": ".snapshot_envelope",
    "SnapshotInstanceForm": ".snapshot_instance_form",
    "SnapshotListEnvelope": ".snapshot_list_envelope",
    "SshKey": ".ssh_key",
    "SshKeyEnvelope": ".ssh_key_envelope",
    "SshKeyListEnvelope": ".ssh_key_list_envelope",
    "SshKeyPair": ".ssh_key_pair",
    "SshKeyPairEnvelope": ".ssh_key_pair_envelope",
    "StorageList": ".storage_list",
    "StorageListEnvelope": ".storage_list_envelope",
    "Subscription": ".subscription",
    "SubscriptionCatalog": ".subscription_catalog",
    "SubscriptionCatalogEnvelope": ".subscription_catalog_envelope",
    "SubscriptionEnvelope": ".subscription_envelope",
    "SubscriptionIdForm": ".subscription_id_form",
    "SubscriptionListEnvelope": ".subscription_list_envelope",
    "Transaction": ".transaction",
    "TransactionEnvelope": ".transaction_envelope",
    "TransactionIdForm": ".transaction_id_form",
    "TransferVolumeForm": ".transfer_volume_form",
    "UserImage": ".user_image",
    "UserImageEnvelope": ".user_image_envelope",
    "UserImageListEnvelope": ".user_image_list_envelope",
    "Volume": ".volume",
    "VolumeEnvelope": ".volume_envelope",
    "VolumeIdForm": ".volume_id_form",
}

__all__ = (
    "AttachVolumeForm",
    "ChangeInstanceTagForm",
    "ChangeSnapshotTagForm",
    "CreateImageForm",
    "CreateVolumeForm",
    "DeleteImageForm",
    "DeleteSnapshotForm",
    "DeleteSshKeyForm",
    "EmptyEnvelope",
    "ErrorObject",
    "Image",
    "ImageListEnvelope",
    "ImageMap",
    "ImportImageForm",
    "Instance",
    "InstanceActionForm",
    "InstanceEnvelope",
    "InstanceIdForm",
    "InstanceListEnvelope",
    "InstanceStatus",
    "Invoice",
    "InvoiceListEnvelope",
    "LaunchCatalog",
    "LaunchCatalogEnvelope",
    "LaunchOndemandInstanceForm",
    "LaunchSubscriptionInstanceForm",
    "LiveMigrationForm",
    "LoginForm",
    "NetworkDescription",
    "NetworkDescriptionEnvelope",
    "Plan",
    "PlanListEnvelope",
    "Port",
    "PortForm",
    "PortListEnvelope",
    "Product",
    "RegisterSshKeyForm",
    "RestoreFromSnapshotForm",
    "Snapshot",
    "SnapshotEnvelope",
    "SnapshotInstanceForm",
    "SnapshotListEnvelope",
    "SshKey",
    "SshKeyEnvelope",
    "SshKeyListEnvelope",
    "SshKeyPair",
    "SshKeyPairEnvelope",
    "StorageList",
    "StorageListEnvelope",
    "Subscription",
    "SubscriptionCatalog",
    "SubscriptionCatalogEnvelope",
    "SubscriptionEnvelope",
    "SubscriptionIdForm",
    "SubscriptionListEnvelope",
    "Transaction",
    "TransactionEnvelope",
    "TransactionIdForm",
    "TransferVolumeForm",
    "UserImage",
    "UserImageEnvelope",
    "UserImageListEnvelope",
    "Volume",
    "VolumeEnvelope",
    "VolumeIdForm",
)


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
