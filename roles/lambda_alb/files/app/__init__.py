# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""The healthcare.dr placeholder application, served by Lambda behind an ALB.

Lambda handler: ``app.handler.lambda_handler``.
"""
