"""The dispatch table: operation name -> handler function, for every edition's operations.

An endpoint serves only the operations of its edition (``Endpoint.service``); a target naming
another is an unknown operation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import (
    associations,
    ops_delete,
    ops_entitled,
    ops_image_status,
    ops_images,
    ops_layers,
    ops_premium,
    ops_premium_data,
    ops_registry,
    ops_reports,
    ops_repositories,
    ops_scans,
    tagging,
)
from .context import Ctx

Handler = Callable[[Ctx, dict[str, Any]], dict[str, Any]]

HANDLERS: dict[str, Handler] = {
    "AssociateRepositories": associations.associate_repositories,
    "BatchCheckLayerAvailability": ops_layers.batch_check_layer_availability,
    "BatchDeleteImage": ops_delete.batch_delete_image,
    "CompleteLayerUpload": ops_layers.complete_layer_upload,
    "CreatePremiumRepository": ops_premium.create_premium_repository,
    "CreateRepository": ops_repositories.create_repository,
    "DeletePremiumRepository": ops_premium.delete_premium_repository,
    "DeletePremiumRepositoryPolicy": ops_premium_data.delete_premium_repository_policy,
    "DeleteRepository": ops_repositories.delete_repository,
    "DeleteRepositoryPolicy": ops_repositories.delete_repository_policy,
    "DescribeEntitledImageTags": ops_entitled.describe_entitled_image_tags,
    "DescribeEntitledImages": ops_entitled.describe_entitled_images,
    "DescribeEntitledRepositories": ops_entitled.describe_entitled_repositories,
    "DescribeImageScanFindings": ops_scans.describe_image_scan_findings,
    "DescribeImageTags": ops_images.describe_image_tags,
    "DescribeImages": ops_images.describe_images,
    "DescribePremiumRepositories": ops_premium.describe_premium_repositories,
    "DescribeRegistries": ops_registry.describe_registries,
    "DescribeRepositories": ops_repositories.describe_repositories,
    "DisassociateRepositories": associations.disassociate_repositories,
    "GetAuthorizationToken": ops_registry.get_authorization_token,
    "GetDownloadUrlForPublisherReport": ops_reports.get_download_url_for_publisher_report,
    "GetPremiumRepositoryCatalogData": ops_premium_data.get_premium_repository_catalog_data,
    "GetPremiumRepositoryPolicy": ops_premium_data.get_premium_repository_policy,
    "GetRegistryCatalogData": ops_registry.get_registry_catalog_data,
    "GetRepositoryCatalogData": ops_repositories.get_repository_catalog_data,
    "GetRepositoryPolicy": ops_repositories.get_repository_policy,
    "InitiateLayerUpload": ops_layers.initiate_layer_upload,
    "ListPublisherReports": ops_reports.list_publisher_reports,
    "ListTagsForResource": tagging.list_tags_for_resource,
    "PutImage": ops_images.put_image,
    "PutPremiumRepositoryCatalogData": ops_premium_data.put_premium_repository_catalog_data,
    "PutPremiumRepositoryProducts": ops_premium.put_premium_repository_products,
    "PutRegistryCatalogData": ops_registry.put_registry_catalog_data,
    "PutRepositoryCatalogData": ops_repositories.put_repository_catalog_data,
    "SetImageStatus": ops_image_status.set_image_status,
    "SetPremiumRepositoryPolicy": ops_premium_data.set_premium_repository_policy,
    "SetRepositoryPolicy": ops_repositories.set_repository_policy,
    "SetRepositoryState": ops_premium.set_repository_state,
    "TagResource": tagging.tag_resource,
    "UntagResource": tagging.untag_resource,
    "UploadLayerPart": ops_layers.upload_layer_part,
}
