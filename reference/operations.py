"""The dispatch table: operation name -> handler function."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import ops_delete, ops_images, ops_layers, ops_registry, ops_repositories, tagging
from .context import Ctx

Handler = Callable[[Ctx, dict[str, Any]], dict[str, Any]]

HANDLERS: dict[str, Handler] = {
    "BatchCheckLayerAvailability": ops_layers.batch_check_layer_availability,
    "BatchDeleteImage": ops_delete.batch_delete_image,
    "CompleteLayerUpload": ops_layers.complete_layer_upload,
    "CreateRepository": ops_repositories.create_repository,
    "DeleteRepository": ops_repositories.delete_repository,
    "DeleteRepositoryPolicy": ops_repositories.delete_repository_policy,
    "DescribeImageTags": ops_images.describe_image_tags,
    "DescribeImages": ops_images.describe_images,
    "DescribeRegistries": ops_registry.describe_registries,
    "DescribeRepositories": ops_repositories.describe_repositories,
    "GetAuthorizationToken": ops_registry.get_authorization_token,
    "GetRegistryCatalogData": ops_registry.get_registry_catalog_data,
    "GetRepositoryCatalogData": ops_repositories.get_repository_catalog_data,
    "GetRepositoryPolicy": ops_repositories.get_repository_policy,
    "InitiateLayerUpload": ops_layers.initiate_layer_upload,
    "ListTagsForResource": tagging.list_tags_for_resource,
    "PutImage": ops_images.put_image,
    "PutRegistryCatalogData": ops_registry.put_registry_catalog_data,
    "PutRepositoryCatalogData": ops_repositories.put_repository_catalog_data,
    "SetRepositoryPolicy": ops_repositories.set_repository_policy,
    "TagResource": tagging.tag_resource,
    "UntagResource": tagging.untag_resource,
    "UploadLayerPart": ops_layers.upload_layer_part,
}
